import Foundation

/// The languages the pages for the person and family are written in. Another language is a file
/// (`Resources/Messages/<code>.json`) and a case here, not code in the pages.
public enum PortalLanguage: String, CaseIterable, Sendable, Codable {
    case en, es
    var htmlCode: String { rawValue }
}

/// The words of the pages for the person and family, by key, in each language. Placeholders are
/// written {name}. A key missing in a language falls back to English (and a test lists any missing).
enum Messages {
    static let catalogues: [PortalLanguage: [String: String]] = {
        var all: [PortalLanguage: [String: String]] = [:]
        for language in PortalLanguage.allCases {
            guard let url = Bundle.module.url(forResource: language.rawValue, withExtension: "json", subdirectory: "Resources/Messages"),
                  let data = try? Data(contentsOf: url), let words = try? JSONDecoder().decode([String: String].self, from: data) else { continue }
            all[language] = words
        }
        return all
    }()

    static func text(_ key: String, _ language: PortalLanguage, _ values: [String: String] = [:]) -> String {
        var text = catalogues[language]?[key] ?? catalogues[.en]?[key] ?? key
        for (name, value) in values { text = text.replacingOccurrences(of: "{\(name)}", with: value) }
        return text
    }

    /// Keys one language has and another lacks, as "es: invitation.title".
    static func missing() -> [String] {
        let keys = Set(catalogues.values.flatMap(\.keys))
        return PortalLanguage.allCases.flatMap { language in
            keys.subtracting(catalogues[language]?.keys.map { $0 } ?? []).sorted().map { "\(language.rawValue): \($0)" }
        }
    }
}
