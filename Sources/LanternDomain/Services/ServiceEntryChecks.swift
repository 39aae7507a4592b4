import Foundation

/// Checks across the fields of one services entry, and of the self-direction section, run when a
/// section is saved (the catalogue checks run as findings, since the catalogue changes on its own).
enum ServiceEntryChecks {
    @Sendable static func check(_ content: SectionContent) -> [FieldError] {
        var errors: [FieldError] = []
        for (index, entry) in content.entries("services").enumerated() {
            let path = "services.\(index)"
            if entry.number("units") != nil && entry.text("interval") == nil {
                errors.append(FieldError("\(path).interval", "Say what the amount is for: each day, week, month, year, or in all."))
            }
            if entry.text("interval") != nil && entry.number("units") == nil {
                errors.append(FieldError("\(path).units", "Give the amount (units) for \(entry.text("interval").flatMap(ServiceInterval.init)?.phrase ?? "the interval")."))
            }
            let from = entry.text("fromTime").flatMap(TimeOfDay.minutes), until = entry.text("untilTime").flatMap(TimeOfDay.minutes)
            if (from == nil) != (until == nil) {
                errors.append(FieldError("\(path).\(from == nil ? "fromTime" : "untilTime")", "Give both times, from and until, or neither."))
            } else if let from, let until, until <= from {
                errors.append(FieldError("\(path).untilTime", "Until must be later in the day than from (\(TimeOfDay.text(from)))."))
            }
            if from != nil && entry.text("days") == nil {
                errors.append(FieldError("\(path).days", "Say on which days these times are."))
            }
            if let start = entry.text("startDate").flatMap(CalendarDate.init), let end = entry.text("endDate").flatMap(CalendarDate.init), end < start {
                errors.append(FieldError("\(path).endDate", "The service must end on or after the day it starts (\(start))."))
            }
            if entry.bool("waiting") == true && entry.text("waitingSince") == nil {
                errors.append(FieldError("\(path).waitingSince", "Say since when the person has been waiting for this service."))
            }
        }
        for (index, entry) in content.entries("supports").enumerated() where (entry.text("fromTime") == nil) != (entry.text("untilTime") == nil) {
            errors.append(FieldError("supports.\(index).\(entry.text("fromTime") == nil ? "fromTime" : "untilTime")", "Give both times, from and until, or neither."))
        }
        return errors
    }

    @Sendable static func selfDirection(_ content: SectionContent) -> [FieldError] {
        var errors: [FieldError] = []
        if !content.entries("employees").isEmpty && content.bool("employerAuthority") != true {
            errors.append(FieldError("employees", "Employees are listed when the person has employer authority (hires and manages staff). Answer yes to that first."))
        }
        if content.number("individualBudget") != nil && content.bool("budgetAuthority") != true {
            errors.append(FieldError("individualBudget", "An individual budget goes with budget authority. Answer yes to budget authority first."))
        }
        return errors
    }
}
