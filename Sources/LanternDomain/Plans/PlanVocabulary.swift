import Foundation

/// The four kinds of plan Lantern writes. Each is checked by the rule pack of the same name.
public enum PlanType: String, Vocabulary {
    case missouriISP = "missouri_isp"
    case federalHCBS = "federal_hcbs"
    case californiaIPP = "california_ipp"
    case californiaIFSP = "california_ifsp"

    public var label: String {
        switch self {
        case .missouriISP: "Missouri Individual Support Plan (ISP)"
        case .federalHCBS: "HCBS person-centered service plan (federal baseline)"
        case .californiaIPP: "California Individual Program Plan (IPP)"
        case .californiaIFSP: "California Early Start Individualized Family Service Plan (IFSP)"
        }
    }
    public var shortLabel: String {
        switch self {
        case .missouriISP: "ISP"
        case .federalHCBS: "HCBS plan"
        case .californiaIPP: "IPP"
        case .californiaIFSP: "IFSP"
        }
    }
    /// The rule pack that checks this plan type.
    public var rulePack: String {
        switch self {
        case .missouriISP: "missouri-isp"
        case .federalHCBS: "federal-hcbs"
        case .californiaIPP: "california-ipp"
        case .californiaIFSP: "california-ifsp"
        }
    }
}

/// Why the plan is being written: the first plan, the yearly plan, or a change during the year.
public enum PlanKind: String, Vocabulary {
    case initial, annual, update
    case sixMonthReview = "six_month_review"
    public var label: String {
        switch self {
        case .initial: "Initial plan"
        case .annual: "Annual plan"
        case .update: "Update (a change during the plan year)"
        case .sixMonthReview: "Six-month review (IFSP)"
        }
    }
}

/// Where a plan version is in its life: draft → awaiting signatures → in effect → superseded or
/// ended. Only a draft can be edited; from "awaiting signatures" on, the version is frozen and only
/// copied into a new version.
public enum PlanStatus: String, Vocabulary {
    case draft
    case awaitingSignatures = "awaiting_signatures"
    case active, superseded, ended
    public var label: String {
        switch self {
        case .draft: "Draft: being written"
        case .awaitingSignatures: "Waiting for signatures"
        case .active: "In effect"
        case .superseded: "Replaced by a newer version"
        case .ended: "Ended"
        }
    }
}

/// Who signs a plan, as a rule pack names them.
public enum SignerRole: String, Vocabulary {
    case person, guardian, parent, coordinator, provider
    case regionalCenter = "regional_center"
    public var label: String {
        switch self {
        case .person: "The person"
        case .guardian: "Guardian or legal representative"
        case .parent: "Parent (consent)"
        case .coordinator: "Support coordinator"
        case .provider: "Provider responsible for part of the plan"
        case .regionalCenter: "Regional center"
        }
    }
}
