/// The version of checkout-sim: `checkout-sim --version` prints it, and the release packages
/// (scripts/package.sh) are named after what that prints. Set here and nowhere else.
enum Version {
    static let current = "0.9.0"
}
