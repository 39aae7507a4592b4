import Prometheus
import Vapor

/// Request counts, latencies and errors in Prometheus form, served at /metrics. These are per process,
/// as Prometheus expects: it scrapes every instance and adds them up.
final class RequestMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()

    func record(method: String, route: String, status: UInt, duration: Duration) {
        let labels = [("method", method), ("route", route), ("status", String(status))]
        registry.makeCounter(descriptor: .init(namespace: "lantern", metricName: "http_requests", unitName: "total",
                                               helpText: "HTTP requests answered"), labels: labels).increment()
        if status >= 500 {
            registry.makeCounter(descriptor: .init(namespace: "lantern", metricName: "http_errors", unitName: "total",
                                                   helpText: "HTTP requests that failed on the server"), labels: [("route", route)]).increment()
        }
        registry.makeDurationHistogram(descriptor: .init(namespace: "lantern", metricName: "http_request_duration", unitName: "seconds",
                                                         helpText: "Time to answer an HTTP request"),
                                       labels: [("method", method), ("route", route)],
                                       buckets: [.milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
                                                 .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2.5), .seconds(5)]).record(duration)
    }
}

enum OperationsRoutes {
    static func register(_ app: Application) {
        app.get("healthz") { _ in ["status": "ok"] }
        app.get("readyz") { req async throws -> Response in
            do {
                _ = try await req.db.sql.raw("SELECT 1 AS ok").first()
                return try await ["status": "ready"].encodeResponse(for: req)
            } catch {
                throw Problem(.serviceUnavailable, "Database not answering", detail: "Lantern cannot reach its database. Check that it is running and that DATABASE_URL is right.")
            }
        }
        app.get("metrics") { req -> Response in
            var buffer = [UInt8]()
            req.application.lantern.metrics.registry.emit(into: &buffer)
            var headers = HTTPHeaders()
            headers.contentType = HTTPMediaType(type: "text", subType: "plain", parameters: ["version": "0.0.4", "charset": "utf-8"])
            return Response(status: .ok, headers: headers, body: .init(data: Data(buffer)))
        }
    }
}
