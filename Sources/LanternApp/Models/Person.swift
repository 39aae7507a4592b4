import Fluent
import LanternDomain
import Foundation

/// A person supported. Age and age group are derived from the date of birth when shown, never stored.
public final class Person: Model, @unchecked Sendable {
    public static let schema = "people"
    @ID(key: .id) public var id: UUID?
    @Field(key: "legal_given_name") public var legalGivenName: String
    @Field(key: "legal_family_name") public var legalFamilyName: String
    @OptionalField(key: "preferred_name") public var preferredName: String?
    @Field(key: "birth_date") public var birthDate: String
    @OptionalField(key: "pronouns") public var pronouns: String?
    @Field(key: "primary_language") public var primaryLanguage: String
    @Field(key: "interpreter_needed") public var interpreterNeeded: Bool
    @Field(key: "communication_methods") public var communicationMethods: [String]
    @OptionalField(key: "communication_profile") public var communicationProfile: String?
    @Field(key: "residence_type") public var residenceType: String
    @Field(key: "legal_status") public var legalStatus: String
    @OptionalField(key: "court_restrictions") public var courtRestrictions: String?
    @OptionalField(key: "state_id") public var stateID: String?
    @OptionalField(key: "medicaid_id") public var medicaidID: String?
    @OptionalField(key: "medicare_id") public var medicareID: String?
    @OptionalField(key: "insurance") public var insurance: String?
    @OptionalField(key: "address_line") public var addressLine: String?
    @OptionalField(key: "city") public var city: String?
    @OptionalField(key: "region") public var region: String?
    @OptionalField(key: "postal_code") public var postalCode: String?
    @OptionalField(key: "county") public var county: String?
    @Field(key: "status") public var status: String
    @OptionalField(key: "exit_date") public var exitDate: String?
    @OptionalField(key: "exit_reason") public var exitReason: String?
    @OptionalField(key: "current_coordinator_id") public var currentCoordinatorID: UUID?
    /// How much coordination the person needs (`Intensity`); none recorded is standard.
    @OptionalField(key: "intensity") public var intensity: String?
    /// How often the coordinator is in contact to monitor (`ContactFrequency`); none set, no schedule.
    @OptionalField(key: "contact_frequency") public var contactFrequency: String?
    /// The day the person began to direct their own coordination, with no coordinator assigned.
    @OptionalField(key: "self_coordinated_since") public var selfCoordinatedSince: String?
    /// Lower-cased "family given" for ordering and cursor pagination.
    @Field(key: "sort_name") public var sortName: String
    /// Lower-cased legal and preferred names, for search by name.
    @Field(key: "search_text") public var searchText: String
    @Field(key: "version") public var version: Int
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) public var updatedAt: Date?

    // Written out, not reflected: see `StoredModels`.
    public var properties: [any AnyProperty] { [
        _id, _legalGivenName, _legalFamilyName, _preferredName, _birthDate, _pronouns, _primaryLanguage, _interpreterNeeded,
        _communicationMethods, _communicationProfile, _residenceType, _legalStatus, _courtRestrictions, _stateID, _medicaidID,
        _medicareID, _insurance, _addressLine, _city, _region, _postalCode, _county, _status, _exitDate, _exitReason,
        _currentCoordinatorID, _intensity, _contactFrequency, _selfCoordinatedSince, _sortName, _searchText, _version, _createdAt,
        _updatedAt
    ] }
    public init() {}

    public var displayName: String {
        let given = preferredName.flatMap { $0.isEmpty ? nil : $0 } ?? legalGivenName
        return "\(given) \(legalFamilyName)"
    }
    public var legalName: String { "\(legalGivenName) \(legalFamilyName)" }

    /// Keeps the derived search columns in step with the names.
    func refreshSearchColumns() {
        sortName = "\(legalFamilyName) \(legalGivenName)".lowercased()
        searchText = [legalGivenName, legalFamilyName, preferredName ?? ""].joined(separator: " ").lowercased()
    }

    public func age(on today: CalendarDate) -> Int? {
        CalendarDate(birthDate).map { $0.years(until: today) }
    }
    public func ageGroup(on today: CalendarDate) -> AgeGroup? {
        age(on: today).map(AgeGroup.forAge)
    }
}

extension Person {
    var coordinationIntensity: Intensity { intensity.flatMap(Intensity.init) ?? .standard }
}
