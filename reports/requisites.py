"""A справка needs its district's ИМЦ requisites from the start: the letterhead, the signature and the
«УТВЕРЖДАЮ» block are printed from them, so a draft without them could never become a document.

`requisites_refusal(district)` is the Russian sentence the create page and the create service share
(empty when everything needed is filled); the requisites are checked by `clusters.requisites`.
"""
from __future__ import annotations

from clusters.models import District
from clusters.requisites import requisites_missing

# Where the portal admin fills them: the setup wizard's first step (the setup app sits above reports,
# so its address is reversed by name, not imported).
WIZARD_STEP_URL_NAME = "setup:district"


def requisites_refusal(district: District | None) -> str:
    if district is None:
        return ""
    missing = requisites_missing(district)
    if not missing:
        return ""
    return (f"У района «{district.name}» не заполнены реквизиты ИМЦ ({', '.join(missing)}) — справку создать "
            "нельзя: они печатаются в шапке, подписи и грифе утверждения. Их заполняет администратор портала "
            "в разделе «Подключение района», шаг «Район и реквизиты ИМЦ».")
