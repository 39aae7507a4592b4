import Foundation
import Vapor

/// The OpenAPI 3.1 document: a resource people can read, completed at start-up with one schema per
/// plan section made from the same definitions the validator uses, so the two cannot drift apart.
/// A test checks the document against the routes.
enum OpenAPIDocument {
    static let built: Result<Data, any Error> = Result { try build() }

    static func data() throws -> Data { try built.get() }

    static func build() throws -> Data {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "json", subdirectory: "Resources"),
              var document = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any],
              var components = document["components"] as? [String: Any],
              var schemas = components["schemas"] as? [String: Any] else {
            throw Problem(.internalServerError, "API document missing", detail: "The API document is not installed with this build.")
        }
        let sections = PlanSections.sections
        schemas["SectionKey"] = ["type": "string", "enum": sections.map(\.key),
                                 "description": "A plan section's key. Each plan type has only some of them: GET /api/v1/plan-types lists which."]
        for spec in sections {
            schemas["SectionContent_" + spec.key.replacingOccurrences(of: "-", with: "_")] = [
                "type": "object", "title": spec.title, "description": spec.purpose, "additionalProperties": false,
                "properties": Dictionary(uniqueKeysWithValues: spec.fields.map { ($0.key, schema(for: $0)) }),
            ] as [String: Any]
        }
        schemas["SectionContent"] = [
            "description": "A section's content: its fields, with lists as arrays of entry objects. Which schema applies depends on the section key in the path.",
            "oneOf": sections.map { ["$ref": "#/components/schemas/SectionContent_" + $0.key.replacingOccurrences(of: "-", with: "_")] },
        ] as [String: Any]
        components["schemas"] = schemas
        document["components"] = components
        return try JSONSerialization.data(withJSONObject: document, options: [.sortedKeys, .prettyPrinted])
    }

    static func schema(for field: FieldSpec) -> [String: Any] {
        var schema: [String: Any] = ["description": field.label + (field.hint.map { ". " + $0 } ?? "")]
        switch field.kind {
        case let .line(max), let .paragraph(max): schema["type"] = "string"; schema["maxLength"] = max
        case .date: schema["type"] = "string"; schema["format"] = "date"
        case .yesNo: schema["type"] = "boolean"
        case let .choice(choices): schema["type"] = "string"; schema["enum"] = choices.map(\.value)
        case .circleMember:
            schema["type"] = "string"; schema["format"] = "uuid"
            schema["description"] = field.label + ": the id of someone in the person's circle of support."
        case .organization:
            schema["type"] = "string"; schema["format"] = "uuid"
            schema["description"] = field.label + ": the id of a provider organisation."
        case .entryID:
            schema["type"] = "string"; schema["format"] = "uuid"
            schema["description"] = field.label + ": given by Lantern when the entry is first saved. Send it back unchanged to keep the entry's history; leave it out for a new entry."
        case let .reference(list):
            schema["type"] = "string"; schema["format"] = "uuid"
            schema["description"] = field.label + ": the id of one of the plan's \(list)."
        case let .number(range):
            schema["type"] = "number"; schema["minimum"] = range.lowerBound; schema["maximum"] = range.upperBound
        case .weekdays:
            schema["type"] = "string"; schema["pattern"] = "^(mon|tue|wed|thu|fri|sat|sun)(,(mon|tue|wed|thu|fri|sat|sun))*$"
            schema["description"] = field.label + ": days of the week in week order, comma separated, for example mon,wed,fri."
        case .time:
            schema["type"] = "string"; schema["pattern"] = "^([01][0-9]|2[0-3]):[0-5][0-9]$"
            schema["description"] = field.label + ": a time of day, HH:MM on the 24-hour clock."
        case .catalogued:
            schema["type"] = "string"; schema["maxLength"] = 20
            schema["description"] = field.label + ": a code of the service catalogue (GET /api/v1/catalogue)."
        case let .list(entries, max):
            schema["type"] = "array"; schema["maxItems"] = max
            schema["items"] = [
                "type": "object", "additionalProperties": false,
                "required": entries.filter(\.required).map(\.key),
                "properties": Dictionary(uniqueKeysWithValues: entries.map { ($0.key, Self.schema(for: $0)) }),
            ] as [String: Any]
        }
        return schema
    }
}
