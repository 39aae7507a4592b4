import LanternDomain
import Vapor

/// Settings read from the environment at start-up, with the defaults a first-time user needs.
public struct LanternSettings: Sendable {
    public enum Store: Sendable, Equatable { case sqlite(path: String), postgres(url: String) }
    public var store: Store
    /// When the public address is https, cookies are Secure and HSTS is sent.
    public var secureCookies: Bool
    /// Trust X-Forwarded-For (only behind a proxy you run).
    public var trustForwardedFor: Bool
    /// An action step with nothing recorded for more days than this is flagged to the coordinator.
    public var progressQuietDays: Int
    /// Caseload weights by intensity and the default limit (LANTERN_CASELOAD_WEIGHT_STANDARD, _HIGH, LANTERN_CASELOAD_LIMIT).
    public var caseloadRules: CaseloadRules
    /// Where the outbox is sent (LANTERN_SMTP_*); none set, reminders wait in the outbox.
    public var smtp: SMTPSettings?

    public init(store: Store, secureCookies: Bool = false, trustForwardedFor: Bool = false, progressQuietDays: Int = 14,
                caseloadRules: CaseloadRules = CaseloadRules(), smtp: SMTPSettings? = nil) {
        self.store = store; self.secureCookies = secureCookies; self.trustForwardedFor = trustForwardedFor
        self.progressQuietDays = progressQuietDays; self.caseloadRules = caseloadRules; self.smtp = smtp
    }

    public static func fromEnvironment() -> LanternSettings {
        let env = ProcessInfo.processInfo.environment
        let store: Store
        if let url = env["DATABASE_URL"], !url.isEmpty { store = .postgres(url: url) }
        else { store = .sqlite(path: env["LANTERN_SQLITE_PATH"] ?? "data/lantern.sqlite") }
        return LanternSettings(store: store,
                               secureCookies: (env["LANTERN_PUBLIC_URL"] ?? "").lowercased().hasPrefix("https://"),
                               trustForwardedFor: env["LANTERN_TRUST_PROXY"] == "1",
                               progressQuietDays: env["LANTERN_PROGRESS_QUIET_DAYS"].flatMap(Int.init).map { max(1, $0) } ?? 14,
                               caseloadRules: CaseloadRules(standardWeight: env["LANTERN_CASELOAD_WEIGHT_STANDARD"].flatMap(Double.init).map { max(0, $0) } ?? 1,
                                                            highWeight: env["LANTERN_CASELOAD_WEIGHT_HIGH"].flatMap(Double.init).map { max(0, $0) } ?? 2,
                                                            defaultLimit: env["LANTERN_CASELOAD_LIMIT"].flatMap(Double.init).map { max(1, $0) } ?? 30),
                               smtp: SMTPSettings.fromEnvironment(env))
    }
}

/// What the running application holds: settings and the metrics registry (per process by nature).
public final class LanternState: Sendable {
    public let settings: LanternSettings
    let metrics = RequestMetrics()
    /// Gathers the audit events of reads into group commits (a queue of this process; the chain is in the database).
    let auditWriter = AuditWriter()
    init(settings: LanternSettings) { self.settings = settings }
    var secureCookies: Bool { settings.secureCookies }
    var trustForwardedFor: Bool { settings.trustForwardedFor }
}

extension Application {
    private struct StateKey: StorageKey { typealias Value = LanternState }
    public var lantern: LanternState {
        get {
            guard let state = storage[StateKey.self] else { fatalError("configure(_:) has not run") }
            return state
        }
        set { storage[StateKey.self] = newValue }
    }
}
