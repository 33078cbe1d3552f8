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



def short_id(iri: object) -> str:
    """An IRI as a user of kg writes it: a data IRI as its ID, a vocabulary term as ``kg:``
    and its name, any other IRI unchanged (each form is read back by ``kg.queries.to_iri``).

    >>> short_id(KGD.symantec), short_id(KG.Gold), short_id("https://example.org/x")
    ('symantec', 'kg:Gold', 'https://example.org/x')
    """
    text = str(iri)
    data, vocabulary = str(KGD), str(KG)
    if text.startswith(data) and len(text) > len(data):
        return text[len(data):]
    if text.startswith(vocabulary) and len(text) > len(vocabulary):
        return f"kg:{text[len(vocabulary):]}"
    return text


__all__ = [
    "DCTERMS", "DOAP", "KG", "KGD", "ORG", "OWL", "PREFIXES", "PROV", "RDF", "RDFS", "SD",
    "SDO", "SH", "SKOS", "TIME", "XSD", "short_id",
]
