"""Graph analytics on the party graph (networkx): paths, interlocks, centrality.

- :func:`paths`: the shortest paths between two parties, each hop a sourced fact
  (``kg path A B``);
- :func:`interlocks`: the organizations connected to several given parties, ranked, with the
  connecting facts (``kg interlocks E1 E2 …``);
- :func:`centrality`: degree and betweenness of the organizations in a foundation's
  litigation graph (``kg centrality``);
- :mod:`.drawing`: their subgraphs for ``kg render --path`` / ``--interlocks``.

Each takes a kg store (or an rdflib graph holding the ontology) and returns a dataclass with
the evidence. The graph is :func:`kg.network.to_networkx` 's (the same edge kinds, words, dates
and sources as the pictures), so this package and :mod:`kg.network` are the ones importing
networkx; ``import kg`` imports neither::

    from kg.analytics import paths
    for hop in paths(store, "symantec", "rackspace").paths[0].hops:
        print(hop.fact.sentence, hop.fact.when, hop.fact.sources)

Modules: :mod:`.graph` (the party graph, as-of, facts in words), :mod:`.paths`,
:mod:`.interlocks`, :mod:`.centrality`, :mod:`.drawing`.
"""

from __future__ import annotations

from .centrality import Centrality, CentralityResult, centrality
from .graph import Fact, Source, party_graph
from .interlocks import Connection, Interlock, InterlockResult, interlocks
from .paths import Hop, Path, PathResult, paths

__all__ = [
    "Centrality", "CentralityResult", "Connection", "Fact", "Hop", "Interlock",
    "InterlockResult", "Path", "PathResult", "Source", "centrality", "interlocks",
    "party_graph", "paths",
]
