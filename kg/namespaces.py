"""Every namespace kg uses, declared once.

``KG`` is the vocabulary (classes, properties, concept instances such as tiers'
kinds or confidence levels); ``KGD`` is the data: organizations, cases, patents,
memberships and every other resource get ``KGD[slug]`` IRIs. Standard
vocabularies come from :mod:`rdflib.namespace` where rdflib ships them.
"""

from __future__ import annotations

from rdflib import Namespace
from rdflib.namespace import DCTERMS, DOAP, ORG, OWL, PROV, RDF, RDFS, SDO, SH, SKOS, TIME, XSD

KG = Namespace("https://w3id.org/kg/ontology#")
KGD = Namespace("https://w3id.org/kg/id/")
# SPARQL 1.1 Service Description (kg serve describes its endpoint with it)
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")

PREFIXES: dict[str, str] = {
    "dcterms": str(DCTERMS),
    "doap": str(DOAP),
    "kg": str(KG),
    "kgd": str(KGD),
    "org": str(ORG),
    "owl": str(OWL),
    "prov": str(PROV),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "schema": str(SDO),
    "sh": str(SH),
    "skos": str(SKOS),
    "time": str(TIME),
    "xsd": str(XSD),
}

__all__ = [
    "DCTERMS", "DOAP", "KG", "KGD", "ORG", "OWL", "PREFIXES", "PROV", "RDF", "RDFS", "SD",
    "SDO", "SH", "SKOS", "TIME", "XSD",
]
