import CheckoutCore
import Foundation
import Scenarios

/// `explore --compare`'s report: each invariant per client choice, and what each costs
/// the shopper over the same search. Its JSON is `--format json`'s shape, field for field.
public struct ComparisonReport: Codable, Equatable, Sendable {
    /// One invariant under one client: held to the depth, or broken by a shortest sequence.
    public struct InvariantCell: Codable, Equatable, Sendable {
        public var name: String
        public var held: Bool
        /// The shortest sequence's length; `null` when held.
        public var shortest: Int?
        /// Its scenario file (`OUTPUT/<client>/<invariant>.yaml`); `null` when held.
        public var file: String?

        public func encode(to encoder: Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(name, forKey: .name)
            try container.encode(held, forKey: .held)
            try container.encode(shortest, forKey: .shortest)
            try container.encode(file, forKey: .file)
        }
    }

    /// What a client cost the shopper (docs/explore.md defines each).
    public struct Cost: Codable, Equatable, Sendable {
        /// Validation requests per paying path; `null`: nothing paid within the depth.
        public var validationsPerPayment: Double?
        /// Toasts shown per paying path; `null`: nothing paid within the depth.
        public var toasts: Double?
        /// Shopper steps from "Payment already completed" to a payment, beyond the
        /// baseline's; `null` when either never gets there within the depth.
        public var extraSteps: Int?

        enum CodingKeys: String, CodingKey {
            case validationsPerPayment = "validations_per_payment", toasts, extraSteps = "extra_steps"
        }

        public func encode(to encoder: Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(validationsPerPayment, forKey: .validationsPerPayment)
            try container.encode(toasts, forKey: .toasts)
            try container.encode(extraSteps, forKey: .extraSteps)
        }
    }

    /// One client's column.
    public struct Policy: Codable, Equatable, Sendable {
        public var name: String
        public var invariants: [InvariantCell]
        public var cost: Cost
    }

    /// The depth every search explored completely.
    public var depth: Int
    public var policies: [Policy]

    /// The report of `results` (one per choice, the baseline among them); `files` gives each
    /// finding's file by client name, then invariant name.
    public init(_ results: [ExploreResult], files: [String: [String: String]]) {
        depth = results.map(\.completedDepth).min() ?? 0
        let baseline = results.first { $0.configuration.client == ClientChoices.baseline }?.cost?.fewestStepsToPayAgain
        policies = results.map { result in
            let name = ClientChoices.name(of: result.configuration.client)
            let cells = result.configuration.invariants.map { invariant in
                let finding = result.findings.first { $0.invariant.name == invariant.name }
                return InvariantCell(name: invariant.name, held: finding == nil, shortest: finding?.depth,
                                     file: finding.flatMap { _ in files[name]?[invariant.name] })
            }
            let cost = result.cost ?? ExploreCost()
            let extra = cost.fewestStepsToPayAgain.flatMap { own in baseline.map { own - $0 } }
            return Policy(name: name, invariants: cells,
                          cost: Cost(validationsPerPayment: cost.validationsPerPayment.map(Self.rounded),
                                     toasts: cost.toastsPerPayment.map(Self.rounded), extraSteps: extra))
        }
    }

    /// Two decimals: a cost is a figure to compare, not a measurement to the last bit.
    static func rounded(_ value: Double) -> Double { (value * 100).rounded() / 100 }

    public func json() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(self)) ?? Data()
    }
}
