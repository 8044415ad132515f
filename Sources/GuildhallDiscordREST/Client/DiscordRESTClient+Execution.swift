import AsyncHTTPClient
import Foundation
import GuildhallCore
import GuildhallDiscordModels
import Logging
import NIOCore
import NIOHTTP1

extension DiscordRESTClient {
    /// Sends a request through the limiter, retrying as the retry policy allows; returns the
    /// first 2xx (or 304) response, or throws a `DiscordRESTError`.
    public func send(_ request: DiscordRESTRequest) async throws -> DiscordRESTResponse {
        let route = request.route
        let routeName = route.description
        let reason: String?
        do {
            reason = try request.encodedAuditLogReason()
            try Self.checkCredentials(route.authorization)
        } catch let error as GuildhallError {
            throw DiscordRESTError(.invalidRequest, error.message, route: routeName, underlying: error)
        }
        var run = Run(identity: limiterIdentity(for: route.authorization))
        while true {
            let ticket = route.skipsLimiter ? nil : try await acquire(route: route, run: &run)
            run.attempts += 1
            let started = ContinuousClock.now
            let exchange: Exchange
            do {
                exchange = try await perform(request, reason: reason)
            } catch {
                await complete(ticket, outcome: RESTRateLimitOutcome(status: nil), route: route, run: run)
                // A cancelled caller gets a cancellation, not a transport error or a retry.
                if error is CancellationError || Task.isCancelled { throw CancellationError() }
                try await handleFailure(error, request: request, duration: ContinuousClock.now - started, run: &run)
                continue
            }
            metrics.attempt(route: routeName, status: String(exchange.status), duration: ContinuousClock.now - started)
            var headers = RateLimitHeaders(headers: exchange.headers)
            var outcome = RESTRateLimitOutcome(status: exchange.status, headers: headers)
            if exchange.status == 429, let body = try? JSONDecoder().decode(RateLimitedBody.self, from: exchange.body) {
                outcome.retryAfter = body.retryAfter.flatMap(RateLimitHeaders.duration(seconds:))
                if body.global == true { headers.isGlobal = true }
                outcome.headers = headers
            }
            await complete(ticket, outcome: outcome, route: route, run: run)
            logger.debug("discord rest response", metadata: [
                "route": "\(routeName)", "major": "\(route.major)", "status": "\(exchange.status)", "attempt": "\(run.attempts)",
                "bucket": "\(headers.bucket ?? "-")", "remaining": "\(headers.remaining.map(String.init) ?? "-")",
            ])
            switch exchange.status {
            case 200..<300, 304:
                return DiscordRESTResponse(status: exchange.status, headers: exchange.headers, body: exchange.body)
            case 429:
                try await handleRateLimited(outcome: outcome, exchange: exchange, route: routeName, run: &run)
            case 500..<600:
                try await handleServerError(exchange: exchange, route: routeName, run: &run)
            default:
                throw refusal(exchange: exchange, route: routeName, attempts: run.attempts)
            }
        }
    }

    /// What one `send` has spent so far.
    struct Run {
        let identity: String
        var attempts = 0
        var retries = 0
        /// 5xx and transport failures in a row, for the backoff's exponent.
        var failures = 0
        var waited: Duration = .zero
    }

    struct Exchange: Sendable {
        let status: Int
        let headers: HTTPHeaders
        let body: Data
    }

    /// `{"message", "retry_after", "global", "code"?}` (FACTS §3.2).
    struct RateLimitedBody: Decodable {
        let retryAfter: Double?
        let global: Bool?

        enum CodingKeys: String, CodingKey {
            case retryAfter = "retry_after"
            case global
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            retryAfter = try? container.decode(Double.self, forKey: .retryAfter)
            global = try? container.decode(Bool.self, forKey: .global)
        }
    }

    // MARK: - The limiter

    /// Waits until the store grants a place; refuses when the wait would exceed the policy's
    /// limit or the invalid-request guard is closed.
    func acquire(route: DiscordRoute, run: inout Run) async throws -> RESTRateLimitTicket {
        let routeName = route.description
        while true {
            let request = RESTRateLimitRequest(
                identity: run.identity, route: route.limiterRouteID, major: route.major.limiterSegment,
                countsTowardGlobalLimit: route.countsTowardGlobalLimit,
                requestID: UUID().uuidString.lowercased(), policy: configuration.rateLimits
            )
            let decision: RESTRateLimitDecision
            do {
                decision = try await store.acquire(request)
            } catch let error as GuildhallError where error.code == .invalidInput {
                throw DiscordRESTError(.invalidRequest, error.message, route: routeName, attempts: run.attempts, underlying: error)
            } catch {
                logger.error("discord rest limiter unavailable", metadata: ["route": "\(routeName)", "error": "\(error)"])
                throw DiscordRESTError(
                    .limiterUnavailable, "the rate-limit store failed; nothing was sent", route: routeName,
                    attempts: run.attempts, underlying: error
                )
            }
            switch decision {
            case .granted(let ticket):
                return ticket
            case .wait(let duration, let reason):
                guard run.waited + duration <= configuration.retry.maximumRateLimitWait else {
                    throw DiscordRESTError(
                        .rateLimited, "the limiter asks for a \(reason.rawValue) wait of \(duration.compactDescription), beyond the allowed total",
                        route: routeName, retryAfter: duration, attempts: run.attempts
                    )
                }
                metrics.limiterWait(route: routeName, reason: reason)
                logger.trace("discord rest waiting for the limiter", metadata: [
                    "route": "\(routeName)", "reason": "\(reason.rawValue)", "wait_ms": "\(duration.wholeMilliseconds)",
                ])
                try await Task.sleep(for: duration)
                run.waited += duration
            case .invalidRequestBudgetExhausted(let retryAfter):
                metrics.guardTripped()
                logger.error("discord rest invalid-request guard is closed", metadata: [
                    "route": "\(routeName)", "retry_after_ms": "\(retryAfter.wholeMilliseconds)",
                ])
                throw DiscordRESTError(
                    .invalidRequestGuard,
                    "too many 401/403/429 responses in the guard's window (budget \(configuration.rateLimits.invalidRequestBudget)); refusing to send",
                    route: routeName, retryAfter: retryAfter, attempts: run.attempts
                )
            }
        }
    }

    /// Hands the outcome to the store; without a ticket (a route that skips the limiter)
    /// only an invalid request is recorded, so the guard still counts it.
    func complete(_ ticket: RESTRateLimitTicket?, outcome: RESTRateLimitOutcome, route: DiscordRoute, run: Run) async {
        if let ticket {
            await complete(ticket, outcome: outcome, route: route.description)
        } else if outcome.isInvalidRequest {
            let request = RESTRateLimitRequest(
                identity: run.identity, route: route.limiterRouteID, major: route.major.limiterSegment,
                countsTowardGlobalLimit: false, requestID: UUID().uuidString.lowercased(), policy: configuration.rateLimits
            )
            let bucket = RESTRateLimitKeys.routeBucketID(request.route)
            await complete(RESTRateLimitTicket(request: request, bucketID: bucket, isProbe: false), outcome: outcome, route: route.description)
        }
    }

    /// Hands the outcome to the store. A store failure here is logged, not thrown: the
    /// request itself already happened, and its reservation lapses on its own.
    func complete(_ ticket: RESTRateLimitTicket, outcome: RESTRateLimitOutcome, route: String) async {
        do {
            let completion = try await store.complete(ticket, outcome: outcome)
            if outcome.isInvalidRequest { metrics.invalidRequest(countInWindow: completion.invalidRequestsInWindow) }
        } catch {
            logger.warning("discord rest limiter could not record a response", metadata: ["route": "\(route)", "error": "\(error)"])
        }
    }

    // MARK: - Outcomes

    func handleRateLimited(outcome: RESTRateLimitOutcome, exchange: Exchange, route: String, run: inout Run) async throws {
        let delay = outcome.rateLimitDelay
        metrics.rateLimited(route: route, scope: outcome.headers.isGlobalLimit ? .global : outcome.headers.scope)
        logger.warning("discord rest rate limited", metadata: [
            "route": "\(route)", "scope": "\(outcome.headers.scope?.rawValue ?? (outcome.headers.isGlobal ? "global" : "unknown"))",
            "retry_after_ms": "\(delay.wholeMilliseconds)", "attempt": "\(run.attempts)",
        ])
        let apiError = try? JSONDecoder().decode(DiscordAPIErrorBody.self, from: exchange.body)
        guard run.retries < configuration.retry.maximumRetries else {
            throw DiscordRESTError(
                .rateLimited, "still rate limited after \(run.retries) retries; the retry budget is spent", route: route,
                status: 429, apiError: apiError, retryAfter: delay, attempts: run.attempts
            )
        }
        guard run.waited + delay <= configuration.retry.maximumRateLimitWait else {
            throw DiscordRESTError(
                .rateLimited, "Discord asks for a wait of \(delay.compactDescription), beyond the allowed total", route: route,
                status: 429, apiError: apiError, retryAfter: delay, attempts: run.attempts
            )
        }
        run.retries += 1
        metrics.retry(route: route, reason: "rate_limited")
        try await Task.sleep(for: delay)
        run.waited += delay
    }

    func handleServerError(exchange: Exchange, route: String, run: inout Run) async throws {
        let apiError = try? JSONDecoder().decode(DiscordAPIErrorBody.self, from: exchange.body)
        guard run.retries < configuration.retry.maximumRetries else {
            logger.error("discord rest gave up after server errors", metadata: ["route": "\(route)", "status": "\(exchange.status)", "attempts": "\(run.attempts)"])
            throw DiscordRESTError(
                .serverError, "HTTP \(exchange.status) after \(run.retries) retries; the retry budget is spent", route: route,
                status: exchange.status, apiError: apiError, attempts: run.attempts
            )
        }
        try await backOff(route: route, reason: "server_error", detail: "HTTP \(exchange.status)", run: &run)
    }

    /// A failed attempt without a response: retried unless the budget is spent, or the
    /// request timed out and repeating it could repeat its effect (POST and PATCH).
    func handleFailure(_ error: any Error, request: DiscordRESTRequest, duration: Duration, run: inout Run) async throws {
        let route = request.route.description
        let isTimeout = Self.isTimeout(error)
        metrics.attempt(route: route, status: isTimeout ? "timeout" : "transport", duration: duration)
        let code: DiscordRESTError.Code = isTimeout ? .timeout : .transport
        let retriable = !isTimeout || Self.isIdempotent(request.route.method)
        guard retriable, run.retries < configuration.retry.maximumRetries else {
            logger.error("discord rest request failed", metadata: ["route": "\(route)", "error": "\(error)", "attempts": "\(run.attempts)"])
            let why = retriable ? "after \(run.retries) retries; the retry budget is spent"
                : "and is not retried: a \(request.route.method.rawValue) may already have taken effect"
            throw DiscordRESTError(
                code, isTimeout ? "the request timed out \(why)" : "the connection failed \(why)", route: route,
                attempts: run.attempts, underlying: error
            )
        }
        try await backOff(route: route, reason: isTimeout ? "timeout" : "transport", detail: "\(error)", run: &run)
    }

    func backOff(route: String, reason: String, detail: String, run: inout Run) async throws {
        run.retries += 1
        run.failures += 1
        let delay = configuration.retry.backoff(afterFailures: run.failures, jitter: jitter())
        metrics.retry(route: route, reason: reason)
        logger.warning("discord rest retrying", metadata: [
            "route": "\(route)", "reason": "\(reason)", "detail": "\(detail)", "backoff_ms": "\(delay.wholeMilliseconds)", "attempt": "\(run.attempts)",
        ])
        try await Task.sleep(for: delay)
    }

    /// A 4xx other than 429, as a typed error carrying Discord's body.
    func refusal(exchange: Exchange, route: String, attempts: Int) -> DiscordRESTError {
        let apiError = try? JSONDecoder().decode(DiscordAPIErrorBody.self, from: exchange.body)
        let summary = apiError.map { "Discord refused the request: \($0.message) (\($0.code.rawValue))" } ?? "Discord refused the request"
        logger.info("discord rest refused", metadata: [
            "route": "\(route)", "status": "\(exchange.status)", "code": "\(apiError.map { String($0.code.rawValue) } ?? "-")",
        ])
        return DiscordRESTError(.httpError, summary, route: route, status: exchange.status, apiError: apiError, attempts: attempts)
    }

    static func isIdempotent(_ method: HTTPMethod) -> Bool {
        switch method {
        case .GET, .HEAD, .PUT, .DELETE, .OPTIONS: return true
        default: return false
        }
    }

    static func isTimeout(_ error: any Error) -> Bool {
        if error is RequestTimeout { return true }
        if let error = error as? HTTPClientError {
            return error == .deadlineExceeded || error == .readTimeout || error == .writeTimeout
        }
        return false
    }

    /// Secrets go into a header: refuse anything that could break out of it.
    static func checkCredentials(_ authorization: RESTAuthorization) throws {
        let secrets: [String]
        switch authorization {
        case .bot, .none: return
        case .bearer(let token): secrets = [token]
        case .basic(let clientID, let clientSecret): secrets = [clientID, clientSecret]
        }
        for secret in secrets where secret.isEmpty || !secret.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F }) {
            throw GuildhallError(.invalidInput, "\(authorization) credentials must be non-empty printable ASCII")
        }
    }
}
