import Fluent
import LanternDomain
import Vapor

/// A task with its person, for the lists.
struct TaskItem: Sendable {
    let task: CoordinationTask
    let person: Person
}

/// One page of the task list: open tasks by due date, a page at a time, and (on the first page) those
/// closed in the last 30 days, with how many there are in all.
struct TaskList: Sendable {
    var open: [TaskItem]
    var closed: [TaskItem]
    var openTotal: Int
    var closedTotal: Int
    var counts: (overdue: Int, today: Int, week: Int, contacts: Int)
    var nextCursor: String?
    var items: [TaskItem] { open + closed }
}

extension PersonRecords {
    static let tasksPerPage = 200

    /// The tasks of the people the actor may see (a coordinator's caseload, a supervisor's team): open
    /// ones that show by today, by due date, `tasksPerPage` at a time after `cursor` (a due date and an
    /// id), and on the first page those closed in the last 30 days. Every total is counted by the database.
    func tasks(after cursor: PeopleQuery.Cursor? = nil) async throws -> TaskList {
        let (policy, today, pageSize) = (self.policy, self.today, Self.tasksPerPage)
        guard policy.roleAllows(.reviewProgress) else {
            throw Problem.forbidden("Tasks are for coordinators, supervisors and administrators.")
        }
        return try await unitOfWork(.read) { db, log in
            // The scope is a condition in SQL: no one is loaded to find whose tasks to show.
            func scoped() -> QueryBuilder<CoordinationTask> {
                CoordinationTask.query(on: db).join(Person.self, on: \CoordinationTask.$person.$id == \Person.$id).filter(.sql(policy.scopeSQL("people.id")))
            }
            func openTasks() -> QueryBuilder<CoordinationTask> {
                scoped().filter(\.$status == TaskStatus.open.rawValue).filter(\.$showFrom <= today.description)
            }
            func closedTasks() -> QueryBuilder<CoordinationTask> {
                scoped().filter(\.$status != TaskStatus.open.rawValue).filter(\.$closedOn >= today.adding(days: -30).description)
            }
            let (rows, next) = try await openTasks().after(cursor, by: \.$dueOn).page(by: \.$dueOn, limit: pageSize)
            let open = try rows.map { TaskItem(task: $0, person: try $0.joined(Person.self)) }
            let closed = cursor != nil ? [] : try await closedTasks().sort(\.$closedOn, .descending).sort(\.$id).limit(pageSize).all()
                .map { TaskItem(task: $0, person: try $0.joined(Person.self)) }
            let list = TaskList(open: open, closed: closed, openTotal: try await openTasks().count(), closedTotal: try await closedTasks().count(),
                                counts: try await OrganisationFigures.taskCounts(policy, today: today, on: db.sql), nextCursor: next)
            for personID in Set(list.items.map { $0.task.$person.id }) { log.add(event(.list, .tasks, person: personID, detail: "listed among tasks")) }
            return list
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
