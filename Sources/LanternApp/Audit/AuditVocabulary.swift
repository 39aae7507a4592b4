/// What was done (ASTM E2147 "action"), in the words the audit page shows.
public enum AuditAction: String, Codable, Sendable, CaseIterable {
    case view, list, create, update, delete, export, print
    case signIn = "sign_in"
    case signInFailed = "sign_in_failed"
    case signOut = "sign_out"
    case roleChange = "role_change"
    case accessChange = "access_change"
    case tokenCreate = "token_create"
    case tokenRevoke = "token_revoke"

    /// Whether the work audited by this action only reads (and so may run beside other reads).
    var onlyReads: Bool { [.view, .list, .export, .print].contains(self) }
}

/// Which part of a record was touched (ASTM E2147 "category of data").
public enum AuditCategory: String, Codable, Sendable, CaseIterable {
    case demographics, circle
    case coordinatorAssignment = "coordinator_assignment"
    case providerLink = "provider_link"
    case caseload
    case plan
    case progress
    case services
    case catalogue
    case tasks
    case monitoring
    case intake
    case meetings
    case satisfaction
    case account, session, token, audit
}

public enum AuditOutcome: String, Codable, Sendable, CaseIterable {
    case success
    case denied
    case failure
}

/// One event about to be written.
public struct AuditEvent: Sendable {
    public var userID: String?
    public var userLabel: String?
    public var personID: String?
    public var action: AuditAction
    public var category: AuditCategory
    public var outcome: AuditOutcome
    public var sourceAddress: String?
    public var detail: String

    public init(userID: String?, userLabel: String?, personID: String?, action: AuditAction, category: AuditCategory,
                outcome: AuditOutcome = .success, sourceAddress: String?, detail: String = "") {
        self.userID = userID; self.userLabel = userLabel; self.personID = personID; self.action = action
        self.category = category; self.outcome = outcome; self.sourceAddress = sourceAddress; self.detail = detail
    }
}
