"""`{% load page_pieces %}{% page_piece "content" %}…{% endpage_piece %}`: renders what it wraps and, while
core/page_cache.py renders a page to keep it, notes the output under that name (templates/base.html wraps
its blocks title, head, breadcrumbs, content and scripts)."""
from django import template

from core.page_cache import CAPTURE_ATTR

register = template.Library()


class PagePieceNode(template.Node):
    def __init__(self, name: str, nodelist):
        self.name, self.nodelist = name, nodelist

    def render(self, context):
        output = self.nodelist.render(context)
        captured = getattr(getattr(context, "request", None), CAPTURE_ATTR, None)
        if captured is not None:
            captured[self.name] = str(output)
        return output


@register.tag
def page_piece(parser, token):
    bits = token.split_contents()
    if len(bits) != 2 or bits[1][0] not in "'\"" or bits[1][0] != bits[1][-1]:
        raise template.TemplateSyntaxError('{% page_piece "name" %} takes one quoted name')
    nodelist = parser.parse(("endpage_piece",))
    parser.delete_first_token()
    return PagePieceNode(bits[1][1:-1], nodelist)
