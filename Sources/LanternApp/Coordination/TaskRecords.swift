import Fluent
import LanternDomain
import Vapor

/// A task with its person, for the lists.
struct TaskItem: Sendable {
    let task: CoordinationTask
    let person: Person
}

extension PersonRecords {
    /// The tasks of the people the actor may see (a coordinator's caseload, a supervisor's team):
    /// open ones that show by today, by due date, and those closed in the last 30 days.
    func tasks(limit: Int = 1000) async throws -> [TaskItem] {
        let (policy, today) = (self.policy, self.today)
        guard policy.roleAllows(.reviewProgress) else {
            throw Problem.forbidden("Tasks are for coordinators, supervisors and administrators.")
        }
        return try await unitOfWork(.read) { db, log in
            // The scope is a condition in SQL: no one is loaded to find whose tasks to show.
            func scoped() -> QueryBuilder<CoordinationTask> {
                CoordinationTask.query(on: db).join(Person.self, on: \CoordinationTask.$person.$id == \Person.$id).filter(.sql(policy.scopeSQL("people.id")))
            }
            let open = try await scoped().filter(\.$status == TaskStatus.open.rawValue)
                .filter(\.$showFrom <= today.description).sort(\.$dueOn).sort(\.$id).limit(limit).all()
            let recent = try await scoped().filter(\.$status != TaskStatus.open.rawValue)
                .filter(\.$closedOn >= today.adding(days: -30).description).sort(\.$closedOn, .descending).sort(\.$id).limit(200).all()
            let items = try (open + recent).map { TaskItem(task: $0, person: try $0.joined(Person.self)) }
            for personID in Set(items.map { $0.task.$person.id }) { log.add(event(.list, .tasks, person: personID, detail: "listed among tasks")) }
            return items
        }
    }

    /// Marks a task done, with an optional note. Only an open task can be done.
    func completeTask(_ taskID: UUID, note: String?) async throws -> CoordinationTask {
        let (actorID, today) = (actor.userID, self.today)
        guard let personID = try await CoordinationTask.find(taskID, on: req.db)?.$person.id else { throw Problem.notFound("task") }
        return try await change(personID, .update, .tasks, action: .update) { _, db in
            guard let task = try await CoordinationTask.find(taskID, on: db) else { throw Problem.notFound("task") }
            guard task.taskStatus == .open else {
                throw Problem(.conflict, "Not open", detail: "This task is already \(task.taskStatus.label.lowercased()).")
            }
            task.status = TaskStatus.done.rawValue; task.closedOn = today.description; task.closedByID = actorID; task.note = note
            try await task.save(on: db)
            return (task, "task \(taskID.text) done: \(task.title)")
        }
    }
}
