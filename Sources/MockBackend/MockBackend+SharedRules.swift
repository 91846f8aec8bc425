extension MockBackend {
    /// Runs `body` on the armed rules. When the store shares them (SQLite), they
    /// are read and written back in one transaction, so a rule armed by another
    /// process (a second TUI, `serve`'s admin API) fires for this one's next request.
    /// `body` runs once, whatever fails: when the save or the commit fails after it,
    /// its change stays in this process's rules and is not made a second time.
    func withSharedRules<T>(_ body: (inout RuleQueue) -> T) -> T {
        guard store.sharesRules, !rulesBatched else { return body(&rules) }
        var outcome: T?
        do {
            // Inside a `serve` batch no savepoint: a failed write leaves nothing to undo.
            try store.atomically {
                if let stored = try store.loadRules() { rules = stored }
                outcome = body(&rules)
                try store.saveRules(rules)
            }
        } catch {
            // The store is locked or unusable: the rules of this process still apply.
        }
        if let outcome { return outcome }
        return body(&rules)
    }

    /// Runs `body` (many arms and disarms) in one transaction, with the armed rules read
    /// once before it and written once after it, rather than the whole queue read and
    /// written again for each rule (which made arming N rules cost N² in text and WAL).
    public func batchingRules<T>(_ body: () throws -> T) throws -> T {
        guard store.sharesRules, !rulesBatched else { return try store.transaction(body) }
        return try store.transaction {
            if let stored = try store.loadRules() { rules = stored }
            rulesBatched = true
            defer { rulesBatched = false }
            let result = try body()
            try store.saveRules(rules)
            return result
        }
    }

    /// Reads the armed rules anew from a store that shares them (what another process armed).
    public func refreshRules() {
        guard store.sharesRules, let stored = try? store.loadRules() else { return }
        rules = stored
    }

    /// Forgets everything: sessions, PaymentIntents, the journal, counters and armed rules.
    public func removeEverything() throws {
        try store.transaction { try store.removeEverything() }
        rules = RuleQueue()
        inProgress = [:]
    }
}
