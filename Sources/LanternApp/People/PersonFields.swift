import Foundation
import LanternDomain
import Vapor

/// How a person's record is written from a request body and shown as JSON.
enum PersonFields {
    static let allowed: Set<String> = [
        "legalGivenName", "legalFamilyName", "preferredName", "birthDate", "pronouns", "primaryLanguage",
        "interpreterNeeded", "communicationMethods", "communicationProfile", "residenceType", "legalStatus",
        "courtRestrictions", "stateId", "medicaidId", "medicareId", "insurance", "addressLine", "city", "region",
        "postalCode", "county", "status", "exitDate", "exitReason", "intensity", "contactFrequency",
    ]

    /// Applies the fields present in `input` to `person`; returns every problem found, or none.
    static func apply(_ input: [String: JSONValue], to person: Person, creating: Bool, today: CalendarDate) -> [FieldError] {
        var r = FieldReader(input, creating: creating)
        r.rejectUnknown(allowed: allowed)
        if creating {
            person.interpreterNeeded = false; person.communicationMethods = []
            person.status = PersonStatus.referred.rawValue; person.version = 1
        }
        if let v = r.text("legalGivenName", label: "Legal first name", required: true, max: 100), let v { person.legalGivenName = v }
        if let v = r.text("legalFamilyName", label: "Legal last name", required: true, max: 100), let v { person.legalFamilyName = v }
        if let v = r.text("preferredName", label: "Preferred name", max: 100) { person.preferredName = v }
        if let v = r.date("birthDate", label: "Date of birth", required: true), let v {
            if v > today { r.fail("birthDate", "Date of birth cannot be in the future.") }
            else if v.year < 1900 { r.fail("birthDate", "Date of birth must be in 1900 or later.") }
            else { person.birthDate = v.description }
        }
        if let v = r.text("pronouns", label: "Pronouns", max: 40) { person.pronouns = v }
        if let v = r.text("primaryLanguage", label: "Primary language", required: true, max: 60), let v { person.primaryLanguage = v }
        if let v = r.bool("interpreterNeeded", label: "Interpreter needed") { person.interpreterNeeded = v }
        if let v = r.choices("communicationMethods", label: "Ways of communicating", CommunicationMethod.self) {
            person.communicationMethods = v.map(\.rawValue)
        }
        if let v = r.text("communicationProfile", label: "Communication profile", max: 4000) { person.communicationProfile = v }
        if let v = r.choice("residenceType", label: "Where the person lives", ResidenceType.self, required: true), let v { person.residenceType = v.rawValue }
        if let v = r.choice("legalStatus", label: "Legal status", LegalStatus.self, required: true), let v { person.legalStatus = v.rawValue }
        if let v = r.text("courtRestrictions", label: "Court-ordered restrictions", max: 4000) { person.courtRestrictions = v }
        if let v = r.text("stateId", label: "State ID number", max: 40) { person.stateID = v }
        if let v = r.text("medicaidId", label: "Medicaid number", max: 40) { person.medicaidID = v }
        if let v = r.text("medicareId", label: "Medicare number", max: 40) { person.medicareID = v }
        if let v = r.text("insurance", label: "Other insurance", max: 400) { person.insurance = v }
        if let v = r.text("addressLine", label: "Street address", max: 200) { person.addressLine = v }
        if let v = r.text("city", label: "City", max: 100) { person.city = v }
        if let v = r.text("region", label: "State", max: 60) { person.region = v }
        if let v = r.text("postalCode", label: "ZIP code", max: 20) { person.postalCode = v }
        if let v = r.text("county", label: "County", max: 100) { person.county = v }
        if let v = r.choice("status", label: "Status", PersonStatus.self), let v { person.status = v.rawValue }
        if let v = r.date("exitDate", label: "Date services ended") {
            if let v, v > today { r.fail("exitDate", "Date services ended cannot be in the future.") } else { person.exitDate = v?.description }
        }
        if let v = r.text("exitReason", label: "Why services ended", max: 400) { person.exitReason = v }
        if let v = r.choice("intensity", label: "Intensity of coordination", Intensity.self) { person.intensity = v?.rawValue }
        if let v = r.choice("contactFrequency", label: "How often the coordinator is in contact", ContactFrequency.self) { person.contactFrequency = v?.rawValue }

        // Rules across fields, checked once the record is whole.
        if r.errors.isEmpty {
            if person.status == PersonStatus.exited.rawValue {
                if person.exitDate == nil { r.fail("exitDate", "Give the date services ended, because the status is 'Left services'.") }
                if person.exitReason == nil { r.fail("exitReason", "Say why services ended, because the status is 'Left services'.") }
            } else if person.exitDate != nil || person.exitReason != nil {
                if input["exitDate"] != nil && input["exitDate"] != .null && input["exitDate"] != .string("")
                    || input["exitReason"] != nil && input["exitReason"] != .null && input["exitReason"] != .string("") {
                    r.fail("status", "Set the status to 'exited' to record when and why services ended, or leave those fields empty.")
                } else {
                    // Coming back to services: the old exit no longer describes the person.
                    person.exitDate = nil
                    person.exitReason = nil
                }
            }
            if person.legalStatus == LegalStatus.minorWithParent.rawValue, let age = person.age(on: today), age >= 18 {
                r.fail("legalStatus", "'Minor with parent' is only for people under 18. This person is \(age).")
            }
        }
        if r.errors.isEmpty { person.refreshSearchColumns() }
        return r.errors
    }
}

struct CoordinatorSummary: Content {
    var id: String
    var name: String
}

/// A person's record as the API shows it.
struct PersonDTO: Content {
    var id: String
    var legalGivenName: String
    var legalFamilyName: String
    var preferredName: String?
    var displayName: String
    var birthDate: String
    var age: Int?
    var ageGroup: AgeGroup?
    var pronouns: String?
    var primaryLanguage: String
    var interpreterNeeded: Bool
    var communicationMethods: [String]
    var communicationProfile: String?
    var residenceType: String
    var legalStatus: String
    var courtRestrictions: String?
    var stateId: String?
    var medicaidId: String?
    var medicareId: String?
    var insurance: String?
    var addressLine: String?
    var city: String?
    var region: String?
    var postalCode: String?
    var county: String?
    var status: String
    var exitDate: String?
    var exitReason: String?
    var currentCoordinatorId: String?
    var intensity: String
    var contactFrequency: String?
    var version: Int
    var createdAt: Date?
    var updatedAt: Date?

    init(_ p: Person, today: CalendarDate) {
        id = p.id!.text; legalGivenName = p.legalGivenName; legalFamilyName = p.legalFamilyName; preferredName = p.preferredName
        displayName = p.displayName; birthDate = p.birthDate; age = p.age(on: today); ageGroup = p.ageGroup(on: today)
        pronouns = p.pronouns; primaryLanguage = p.primaryLanguage; interpreterNeeded = p.interpreterNeeded
        communicationMethods = p.communicationMethods; communicationProfile = p.communicationProfile
        residenceType = p.residenceType; legalStatus = p.legalStatus; courtRestrictions = p.courtRestrictions
        stateId = p.stateID; medicaidId = p.medicaidID; medicareId = p.medicareID; insurance = p.insurance
        addressLine = p.addressLine; city = p.city; region = p.region; postalCode = p.postalCode; county = p.county
        status = p.status; exitDate = p.exitDate; exitReason = p.exitReason; currentCoordinatorId = p.currentCoordinatorID?.text
        intensity = p.coordinationIntensity.rawValue; contactFrequency = p.contactFrequency; version = p.version; createdAt = p.createdAt; updatedAt = p.updatedAt
    }
}
