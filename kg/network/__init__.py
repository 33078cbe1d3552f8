"""RDF to networkx: relationship nodes collapse into labelled edges between parties.

This package is the only one that imports networkx. In the RDF graph a membership, a patent
transfer, a tie, a lawsuit, an accusation or a contribution is a node of its own (it carries
dates and sources); here each becomes an edge between the two parties it links, labelled in the
ontology's words (``kg:shortPhrase`` of its class or concept, labels of tiers and properties;
see :mod:`kg.vocabulary`), with the fact's IRI, dates, confidence and sources as attributes::

    Symantec --"Gold member · Dec 2014 – ?"--> OpenStack Foundation
    Symantec --"patents (retained rights) · 2012"--> Clouding IP
    Clouding IP --"sued · 2012-05-29 → dismissed, no standing 2014-07-28"--> Rackspace
    Clouding IP --"accused in suit v. Rackspace · 2012-05-29"--> Swift
    Rackspace --"2,221 commits (2012–2013)"--> Swift

A suit with many parties (three or more plaintiff-defendant pairs) is drawn as a node of its own
instead: plaintiff → suit → each defendant, and the suit → accused component.

Node attributes: ``label``, ``kind`` (the local name of its most specific class: ``Company``,
``Foundation``, ``PatentAssertionEntity``, ``Component``, ``Lawsuit``, …, or ``Entity``),
``kind_label`` (that class' label), ``lineage`` (the class and its ancestors), ``iri`` (and
``subtitle`` for a suit node, ``focus`` for the centre of a neighbourhood, ``party`` for the
parties of a finding). Edge attributes: ``label``, ``kind`` (one of :data:`EDGE_KINDS`, decided
by the class hierarchy) and ``kind_label``, ``relation`` (the words without dates), ``fact``
(IRI), ``confidence`` (key), ``confidence_label``, ``confidence_rank`` (1 strongest),
``start``/``end`` (:class:`datetime.date` or None) with ``start_precision``/``end_precision``,
``sources`` (tuple of URLs); lawsuit edges add ``suit``, ``suit_label``, ``docket``, ``court``.

Modules: :mod:`.words` (what is asked of the vocabulary), :mod:`.reader`, :mod:`.edges` (one
converter per edge kind), :mod:`.build` (whole graph, neighbourhoods), :mod:`.relevance`
(bounded neighbourhoods: the ``limit`` most relevant edges), :mod:`.finding`, :mod:`.layout`
(graph algorithms for the drawing), :mod:`.graphml`, :mod:`.formats` (GEXF, Cytoscape JSON),
:mod:`.dates`.
"""

from __future__ import annotations

from .build import NEIGHBOURHOOD_KINDS, neighbourhood, to_networkx
from .dates import format_date, format_interval
from .finding import finding_to_networkx
from .formats import cytoscape_elements, write_cytoscape, write_gexf
from .graphml import scalar_graph, write_graphml
from .layout import layered_order, spring_positions
from .reader import SuitMode
from .words import EDGE_KINDS

__all__ = [
    "EDGE_KINDS",
    "NEIGHBOURHOOD_KINDS",
    "SuitMode",
    "cytoscape_elements",
    "finding_to_networkx",
    "format_date",
    "format_interval",
    "layered_order",
    "neighbourhood",
    "scalar_graph",
    "spring_positions",
    "to_networkx",
    "write_cytoscape",
    "write_gexf",
    "write_graphml",
]
