import GuildhallCore

extension JobWorker {
    /// Heartbeats running jobs, reclaims expired leases and refreshes gauges, until cancelled.
    func maintain() async {
        let clock = ContinuousClock()
        let step = min(configuration.heartbeatInterval, configuration.reclaimInterval, configuration.statsInterval)
        var lastReclaim = clock.now
        var lastStats = clock.now - configuration.statsInterval
        while !Task.isCancelled {
            do { try await Task.sleep(for: step) } catch { return }
            await heartbeat()
            if clock.now - lastReclaim >= configuration.reclaimInterval {
                lastReclaim = clock.now
                await reclaim()
            }
            if clock.now - lastStats >= configuration.statsInterval {
                lastStats = clock.now
                await refreshGauges()
            }
        }
    }

    func heartbeat() async {
        let running = state.withLock { Array($0.running.values) }
        for delivery in running {
            do {
                if try await !driver.heartbeat(delivery, lease: configuration.lease) {
                    logger.warning("job lease lost: another worker took it over", metadata: [
                        LogKey.jobID: "\(delivery.envelope.id)", "job": "\(delivery.envelope.name)", "attempt": "\(delivery.attempt)",
                    ])
                }
            } catch {
                logger.warning("job heartbeat failed", metadata: [LogKey.jobID: "\(delivery.envelope.id)", "error": "\(error)"])
            }
        }
    }

    func reclaim() async {
        do {
            let count = try await driver.reclaimExpired(limit: 100)
            if count > 0 {
                JobMetrics.reclaimed(queue: driver.queue, count: count)
                logger.notice("reclaimed jobs whose worker stopped heartbeating", metadata: ["count": "\(count)"])
            }
        } catch {
            logger.warning("could not reclaim expired job leases", metadata: ["error": "\(error)"])
        }
    }

    func refreshGauges() async {
        if let stats = try? await driver.stats() {
            JobMetrics.queueDepth(queue: driver.queue, stats: stats)
        }
        if let count = try? await deadLetters.count() {
            JobMetrics.deadLetters(count)
        }
    }
}
