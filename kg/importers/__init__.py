"""Importers: deterministic converters from a raw input folder (``data/raw/<source>/``) to
generated Turtle (``data/<source>/``). Each importer is run as a module with ``--root`` and
``--check``; none is imported by :mod:`kg` itself.

- :mod:`kg.importers.openstack`: OpenStack components, governance history and commits.
"""
