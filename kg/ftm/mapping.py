"""Which FtM schema each kg record type and organization kind becomes, and back.

The kind keys are those of ``kg/tabular/schema.yaml`` (its enums); an organization's kg kinds
travel in FtM's ``classification`` so a round trip keeps ``foundation`` apart from
``organization``. Only the choice of schema lives here.
"""

from __future__ import annotations

# The first kind of an organization that is listed decides its FtM schema.
ORGANIZATION_SCHEMA = {
    "company": "Company",
    "patent-assertion-entity": "Company",
    "court": "PublicBody",
    "state-court": "PublicBody",
    "government-agency": "PublicBody",
    "foundation": "Organization",
    "patent-defense-organization": "Organization",
    "research-organization": "Organization",
    "organization": "Organization",
}

# FtM legal entities kg reads as organizations, with the kind used when no kg kind is given.
IMPORTED_ORGANIZATIONS = {
    "Company": "company",
    "Organization": "organization",
    "PublicBody": "government-agency",
    "LegalEntity": "organization",
}

# kg ties (from the backer to the backed) that FtM has a closer schema for than UnknownLink:
# schema, the FtM property of the `from` party, of the `to` party.
TIE_SCHEMA = {
    "ownership": ("Ownership", "owner", "asset"),
    "acquisition": ("Ownership", "owner", "asset"),
    "agency": ("Representation", "client", "agent"),
}
UNKNOWN_LINK = ("UnknownLink", "subject", "object")
IMPORTED_TIES = {"Ownership": "ownership", "Representation": "agency",
                 "UnknownLink": "affiliation"}

# Proceedings' party columns and the CourtCaseParty role each writes (and reads back).
PARTY_ROLES = {
    "plaintiffs": "plaintiff",
    "defendants": "defendant",
    "respondents": "respondent",
    "complainants": "complainant",
    "appellants": "appellant",
    "appellees": "appellee",
    "requesters": "requester",
    "petitioners": "petitioner",
    "patent_owners": "patent owner",
    "debtors": "debtor",
    "creditors": "creditor",
}
# Roles other tools write, read as one of kg's (OpenSanctions, Aleph: free text).
ROLE_SYNONYMS = {"claimant": "plaintiff", "applicant": "petitioner", "accused": "defendant"}

# In a lawsuit (a case that is no other kind of proceeding) the parties are on two sides.
LAWSUIT_SIDES = {"plaintiffs": "plaintiffs", "defendants": "defendants",
                 "respondents": "defendants", "complainants": "plaintiffs",
                 "petitioners": "plaintiffs"}

# A Membership whose status is this is a kg participation (a role, not a membership tier).
PARTICIPATION_STATUS = "participation"
