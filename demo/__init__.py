"""The demo: the seeds' districts, programmes, campaigns and signed справки, built through the product's services.

`manage.py load_demo` (demo/management/commands/load_demo.py) runs the parts along the data flow:
registry (demo.registry, demo.users) → monitoring (demo.monitoring) → surveys (demo.surveys) →
reports (demo.reports). Every part creates only what is missing, matched on stable natural keys,
and never changes a row that exists, so a rerun keeps what users changed.
No product app imports this package.
"""
