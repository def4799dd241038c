import Foundation

/// The safetensors file format (huggingface/safetensors, README "Format"): an 8-byte little-endian header
/// length N, N bytes of JSON `{name: {"dtype", "shape", "data_offsets": [begin, end]}, "__metadata__": {…}}`
/// (offsets relative to the end of the header), then the raw little-endian tensor bytes.
public enum SafeTensors {
    /// The contents of a file: tensors by name (converted to float32) and the string metadata.
    public struct File {
        public var tensors: [String: Tensor]
        public var metadata: [String: String]
        /// Storage type of each tensor in the file ("F32", "BF16", "F16").
        public var dtypes: [String: String]
    }

    /// Writes `tensors` as F32 (names in the given order) with `metadata`; overwrites `url`.
    public static func write(_ tensors: [(String, Tensor)], metadata: [String: String] = [:], to url: URL) throws {
        var header: [String] = []
        if !metadata.isEmpty {
            let pairs = metadata.keys.sorted().map { "\(jsonString($0)):\(jsonString(metadata[$0]!))" }
            header.append("\"__metadata__\":{\(pairs.joined(separator: ","))}")
        }
        var offset = 0
        for (name, t) in tensors {
            let bytes = t.count * 4
            header.append(
                "\(jsonString(name)):{\"dtype\":\"F32\",\"shape\":[\(t.shape.map(String.init).joined(separator: ","))],"
                    + "\"data_offsets\":[\(offset),\(offset + bytes)]}")
            offset += bytes
        }
        var json = Array("{\(header.joined(separator: ","))}".utf8)
        while json.count % 8 != 0 { json.append(0x20) }
        var out = Data(capacity: 8 + json.count + offset)
        withUnsafeBytes(of: UInt64(json.count).littleEndian) { out.append(contentsOf: $0) }
        out.append(contentsOf: json)
        for (_, t) in tensors {
            out.append(UnsafeBufferPointer(start: t.data, count: t.count))
        }
        do { try out.write(to: url, options: .atomic) } catch {
            throw TensorError("cannot write \(url.path): \(error.localizedDescription)")
        }
    }

    /// Reads a safetensors file, converting F32, F16 and BF16 tensors to float32.
    public static func read(_ url: URL) throws -> File {
        let data: Data
        do { data = try Data(contentsOf: url, options: .alwaysMapped) } catch {
            throw TensorError("cannot read \(url.path): \(error.localizedDescription)")
        }
        guard data.count >= 8 else { throw TensorError("\(url.path) is too short for a safetensors file") }
        let n = data.prefix(8).enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
        guard n <= UInt64(data.count - 8) else {
            throw TensorError("\(url.path): header length \(n) exceeds the file size \(data.count)")
        }
        let start = 8 + Int(n)
        guard let header = try? JSONSerialization.jsonObject(with: data.subdata(in: 8..<start)) as? [String: Any] else {
            throw TensorError("\(url.path): the safetensors header is not a JSON object")
        }
        var file = File(tensors: [:], metadata: [:], dtypes: [:])
        for (name, value) in header {
            if name == "__metadata__" {
                file.metadata = (value as? [String: String]) ?? [:]
                continue
            }
            guard let info = value as? [String: Any], let dtype = info["dtype"] as? String,
                let shape = (info["shape"] as? [NSNumber])?.map(\.intValue),
                let offsets = (info["data_offsets"] as? [NSNumber])?.map(\.intValue), offsets.count == 2
            else { throw TensorError("\(url.path): malformed header entry for tensor \(name)") }
            guard shape.allSatisfy({ $0 >= 0 }) else {
                throw TensorError("\(url.path): tensor \(name) has shape \(shape)")
            }
            var count = 1
            for d in shape {
                let (c, overflow) = count.multipliedReportingOverflow(by: d)
                guard !overflow, c <= data.count else {
                    throw TensorError("\(url.path): tensor \(name) of shape \(shape) is larger than the file")
                }
                count = c
            }
            let width: Int
            switch dtype {
            case "F32": width = 4
            case "F16", "BF16": width = 2
            default:
                throw TensorError("\(url.path): tensor \(name) has unsupported dtype \(dtype) (F32, F16, BF16 are)")
            }
            guard offsets[0] >= 0, offsets[1] - offsets[0] == count * width, start + offsets[1] <= data.count else {
                throw TensorError("\(url.path): tensor \(name) offsets \(offsets) do not fit shape \(shape) \(dtype)")
            }
            let storage = Storage(count: count)
            data.withUnsafeBytes { raw in
                let base = raw.baseAddress! + start + offsets[0]
                let p = storage.pointer
                switch dtype {
                case "F32":
                    for i in 0..<count {
                        p[i] = Float(
                            bitPattern: UInt32(littleEndian: base.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self))
                        )
                    }
                case "BF16":
                    for i in 0..<count {
                        let h = UInt16(littleEndian: base.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))
                        p[i] = Float(bitPattern: UInt32(h) << 16)
                    }
                default:
                    for i in 0..<count {
                        p[i] = halfToFloat(
                            UInt16(littleEndian: base.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)))
                    }
                }
            }
            let t = Tensor(shape: shape, storage: storage)
            t.name = name
            file.tensors[name] = t
            file.dtypes[name] = dtype
        }
        return file
    }

    /// IEEE 754 binary16 → binary32, exact (subnormals, infinities and NaN included).
    public static func halfToFloat(_ h: UInt16) -> Float {
        let sign = UInt32(h & 0x8000) << 16
        let exp = Int(h >> 10) & 0x1F
        let frac = UInt32(h & 0x3FF)
        if exp == 0 {
            let magnitude = Float(frac) * 0x1p-24  // subnormal (or zero)
            return sign != 0 ? -magnitude : magnitude
        }
        if exp == 31 { return Float(bitPattern: sign | 0x7F80_0000 | (frac << 13)) }
        return Float(bitPattern: sign | UInt32(exp - 15 + 127) << 23 | (frac << 13))
    }

    private static func jsonString(_ s: String) -> String {
        let data = try! JSONSerialization.data(withJSONObject: [s], options: [.withoutEscapingSlashes])
        let text = String(decoding: data, as: UTF8.self)
        return String(text.dropFirst().dropLast())
    }
}
