import GRPO

/// The defaults an algorithm option takes under each `--preset`, for `--help`: "(default: 0.2)" when every preset
/// agrees, else "(default by preset: default 0.2, trl 0.2, verl 0.2, dapo 0.28)". Read from the presets
/// themselves, so the help cannot drift from what a run uses.
func presetDefaults(_ value: (GRPOConfig) -> String) -> String {
    let values = GRPOConfig.presetNames.map { name in (name, GRPOConfig.preset(named: name).map(value) ?? "?") }
    if Set(values.map(\.1)).count == 1 { return "(default: \(values[0].1))" }
    return "(default by preset: " + values.map { "\($0.0) \($0.1)" }.joined(separator: ", ") + ")"
}

/// `presetDefaults` of a number, printed as the command line takes it.
func presetNumberDefaults(_ number: (GRPOConfig) -> Double) -> String {
    presetDefaults { (c: GRPOConfig) -> String in
        let x = number(c)
        return x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : String(x)
    }
}
