import Foundation

/// A hand-written SVG of training curves: one small panel per series, no dependencies. Each panel has gridlines
/// at round values with their labels on both axes, the x axis named ("step"), and an optional note under its title
/// (such as why a curve is flat). A panel holds one curve, or several overlaid in distinct colours with a legend
/// (metrics that belong together, or the runs of an ablation).
public struct CurvePlot: Sendable {
    /// One panel: a title, an optional note, and its curves, each a label (empty for a lone curve) and (step, value)
    /// points.
    public struct Series: Sendable {
        public var title: String
        public var curves: [(label: String, points: [(x: Double, y: Double)])]
        /// A line drawn under the title ("KL off: β = 0"), or nil.
        public var note: String?
        public init(title: String, points: [(x: Double, y: Double)], note: String? = nil) {
            self.init(title: title, curves: [("", points)], note: note)
        }
        public init(title: String, curves: [(label: String, points: [(x: Double, y: Double)])], note: String? = nil) {
            self.title = title
            self.curves = curves
            self.note = note
        }
        /// All finite points of all curves.
        var finitePoints: [(x: Double, y: Double)] { Self.finite(curves.flatMap(\.points)) }

        /// The points whose coordinates are both finite (NaN and infinities are not drawn).
        static func finite(_ points: [(x: Double, y: Double)]) -> [(x: Double, y: Double)] {
            points.filter { $0.x.isFinite && $0.y.isFinite }
        }
    }

    /// Line colours, in order of the curves (matplotlib's tab10).
    static let colors = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f"]

    public var series: [Series]
    public var title: String
    /// Panel size in SVG user units.
    public var panelWidth = 340.0
    public var panelHeight = 210.0
    /// The x axis's name, written under every panel.
    public var xLabel = "step"
    public var columns = 3

    public init(title: String, series: [Series]) {
        self.title = title
        self.series = series
    }

    /// The SVG document. Non-finite points are skipped; a panel with no points says "no data".
    public var svg: String {
        let rows = max(1, (series.count + columns - 1) / columns)
        let width = panelWidth * Double(columns)
        let height = panelHeight * Double(rows) + 30
        var s = """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(fmt(width))" height="\(fmt(height))" \
            viewBox="0 0 \(fmt(width)) \(fmt(height))" font-family="sans-serif" font-size="11">
            <rect width="100%" height="100%" fill="white"/>
            <text x="10" y="20" font-size="14">\(escape(title))</text>

            """
        for (i, one) in series.enumerated() {
            let ox = panelWidth * Double(i % columns)
            let oy = 30 + panelHeight * Double(i / columns)
            s += panel(one, ox: ox, oy: oy)
        }
        return s + "</svg>\n"
    }

    func panel(_ one: Series, ox: Double, oy: Double) -> String {
        let left = ox + 56
        let right = ox + panelWidth - 14
        let top = oy + 34
        let bottom = oy + panelHeight - 40
        var s = "<text x=\"\(fmt(left))\" y=\"\(fmt(oy + 14))\" font-weight=\"bold\">\(escape(one.title))</text>\n"
        if let note = one.note {
            s += "<text x=\"\(fmt(left))\" y=\"\(fmt(oy + 27))\" fill=\"#666\">\(escape(note))</text>\n"
        }
        s +=
            "<rect x=\"\(fmt(left))\" y=\"\(fmt(top))\" width=\"\(fmt(right - left))\" height=\"\(fmt(bottom - top))\" "
        s += "fill=\"none\" stroke=\"#999\"/>\n"
        s += "<text x=\"\(fmt((left + right) / 2))\" y=\"\(fmt(bottom + 30))\" text-anchor=\"middle\" fill=\"#444\">"
        s += "\(escape(xLabel))</text>\n"
        let pts = one.finitePoints
        guard let x0 = pts.map(\.x).min(), let x1 = pts.map(\.x).max(), let y0 = pts.map(\.y).min(),
            let y1 = pts.map(\.y).max()
        else {
            return s + "<text x=\"\(fmt(left + 8))\" y=\"\(fmt((top + bottom) / 2))\">no data</text>\n"
        }
        let yTicks = Self.ticks(y1 > y0 ? y0 : y0 - 0.5, y1 > y0 ? y1 : y0 + 0.5, count: 5)
        let xTicks = Self.ticks(x0, x1 > x0 ? x1 : x0 + 1, count: 6, integral: true)
        let (ylo, yhi) = (min(y0, yTicks.first!), max(y1, yTicks.last!))
        let (xlo, xhi) = (min(x0, xTicks.first!), max(x1, xTicks.last!))
        func px(_ x: Double) -> Double { left + (x - xlo) / (xhi - xlo) * (right - left) }
        func py(_ y: Double) -> Double { bottom - (y - ylo) / (yhi - ylo) * (bottom - top) }
        for t in yTicks {
            s +=
                "<line x1=\"\(fmt(left))\" x2=\"\(fmt(right))\" y1=\"\(fmt(py(t)))\" y2=\"\(fmt(py(t)))\" stroke=\"#eee\"/>\n"
            s += "<text x=\"\(fmt(left - 4))\" y=\"\(fmt(py(t) + 4))\" text-anchor=\"end\">\(label(t))</text>\n"
        }
        for t in xTicks {
            s +=
                "<line x1=\"\(fmt(px(t)))\" x2=\"\(fmt(px(t)))\" y1=\"\(fmt(top))\" y2=\"\(fmt(bottom))\" stroke=\"#eee\"/>\n"
            s += "<text x=\"\(fmt(px(t)))\" y=\"\(fmt(bottom + 14))\" text-anchor=\"middle\">\(label(t))</text>\n"
        }
        for (i, curve) in one.curves.enumerated() {
            let color = Self.colors[i % Self.colors.count]
            let path = Series.finite(curve.points).map { "\(fmt(px($0.x))),\(fmt(py($0.y)))" }.joined(separator: " ")
            s += "<polyline fill=\"none\" stroke=\"\(color)\" stroke-width=\"1.5\" points=\"\(path)\"/>\n"
            if !curve.label.isEmpty {
                s += "<text x=\"\(fmt(left + 6))\" y=\"\(fmt(top + 12 + 12 * Double(i)))\" fill=\"\(color)\">"
                s += "\(escape(curve.label))</text>\n"
            }
        }
        return s
    }

    /// Round tick values covering [lo, hi]: steps of 1, 2 or 5 × 10^k giving about `count` ticks (whole numbers
    /// only when `integral`), from the last multiple of the step at or below `lo` to the first at or above `hi`.
    public static func ticks(_ lo: Double, _ hi: Double, count: Int, integral: Bool = false) -> [Double] {
        let raw = (hi - lo) / Double(max(count - 1, 1))
        let magnitude = pow(10, (log10(raw)).rounded(.down))
        var step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? 10 * magnitude
        if integral { step = max(1, step.rounded()) }
        let first = (lo / step).rounded(.down)
        let last = (hi / step).rounded(.up)
        return stride(from: first, through: last, by: 1).map { ($0 * step * 1e9).rounded() / 1e9 }
    }

    func fmt(_ v: Double) -> String {
        let r = (v * 10).rounded() / 10
        return r == r.rounded() ? String(Int(r)) : String(r)
    }

    func label(_ v: Double) -> String {
        if v == v.rounded() && abs(v) < 1e6 { return String(Int(v)) }
        let a = abs(v)
        if a >= 0.01 && a < 1e4 { return String((v * 1000).rounded() / 1000) }
        return String(v)
    }

    func escape(_ s: String) -> String {
        s.replacing("&", with: "&amp;").replacing("<", with: "&lt;").replacing(">", with: "&gt;")
    }
}
