"""Validates Lantern's FHIR export with a third-party model library (fhir.resources 6.4.0, the FHIR
R4 4.0.1 models; pydantic 1): every resource of an NDJSON export parses as its R4 model, carries its
eLTSS profile where the guide has one, and every reference points at a resource in the export.

    python validate.py DIR                  # NDJSON files from `lantern export --fhir DIR`
    python validate.py --bundle FILE ...    # Bundles (e.g. from /fhir/Patient/{id}/$everything)

Prints a closing "N passed, N failed" line and exits non-zero on any failure.
"""

import json
import pathlib
import sys

import fhir.resources
from fhir.resources import get_fhir_model_class
from pydantic import ValidationError

ELTSS = "http://hl7.org/fhir/us/eltss/StructureDefinition/"
# Resource types the eLTSS guide profiles; Organization and Coverage it does not.
PROFILED = {"Patient", "RelatedPerson", "Practitioner", "PractitionerRole", "CarePlan", "Goal", "Observation", "Condition",
            "RiskAssessment", "ServiceRequest", "Claim", "Contract", "EpisodeOfCare"}


def references(value, found):
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "reference" and isinstance(item, str):
                found.append(item)
            else:
                references(item, found)
    elif isinstance(value, list):
        for item in value:
            references(item, found)
    return found


def check(resources):
    passed, failures = 0, []
    present = {f"{r.get('resourceType')}/{r.get('id')}" for r in resources}
    for r in resources:
        name = f"{r.get('resourceType')}/{r.get('id')}"
        problems = []
        try:
            get_fhir_model_class(r["resourceType"]).parse_obj(r)
        except (ValidationError, KeyError, ValueError) as error:
            problems.append(f"not valid FHIR R4: {error}")
        if r.get("resourceType") in PROFILED:
            expected = ELTSS + r["resourceType"] + "-eltss"
            if expected not in r.get("meta", {}).get("profile", []):
                problems.append(f"meta.profile lacks {expected}")
        for target in references(r, []):
            if target not in present:
                problems.append(f"reference {target} is not in the export")
        if problems:
            failures.append((name, problems))
        else:
            passed += 1
    return passed, failures


def main(args):
    resources = []
    if args and args[0] == "--bundle":
        for path in args[1:]:
            bundle = json.loads(pathlib.Path(path).read_text())
            get_fhir_model_class("Bundle").parse_obj(bundle)
            resources += [e["resource"] for e in bundle.get("entry", [])]
    else:
        for path in sorted(pathlib.Path(args[0]).glob("*.ndjson")):
            for line in path.read_text().splitlines():
                if line.strip():
                    resources.append(json.loads(line))
    print(f"fhir.resources {fhir.resources.__version__}, FHIR {fhir.resources.__fhir_version__}: {len(resources)} resources")
    passed, failures = check(resources)
    for name, problems in failures[:50]:
        print(f"FAILED {name}:")
        for p in problems:
            print(f"    {p}")
    if not resources:
        failures.append(("export", ["no resources"]))
    print(f"{passed} passed, {len(failures)} failed")
    return 0 if not failures and fhir.resources.__fhir_version__ == "4.0.1" else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
