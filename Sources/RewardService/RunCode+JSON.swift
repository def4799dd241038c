import Foundation
import RewardKit

extension RunCodeRequest {
    /// Reads SandboxFusion's request body; errors name the field and value (answered with 400).
    /// SandboxFusion's shapes are accepted as it accepts them: `null` for any optional field, a `null` file
    /// content (skipped), `0` timeouts and `0`/`-1` memory (the profile's default and maximum), file names
    /// relative to the work directory or absolute under `/work`.
    init(json: JSON) throws(ServiceError) {
        guard let o = json.objectValue else { throw .badRequest("expected a JSON object, got \(json.kindDescription)") }
        guard let code = o["code"]?.stringValue else {
            throw .badRequest("field \"code\" must be a string, got \(o["code"]?.jsonText.prefix(80) ?? "nothing")")
        }
        guard let language = o["language"]?.stringValue else {
            throw .badRequest(
                "field \"language\" must be a string, got \(o["language"]?.jsonText.prefix(80) ?? "nothing")")
        }
        self.init(code: code, language: language)
        compileTimeout = try Self.seconds(o, "compile_timeout")
        runTimeout = try Self.seconds(o, "run_timeout")
        if let m = o["memory_limit_MB"], !m.isNull {
            guard let mb = m.intValue, mb >= -1 else {
                throw .badRequest(
                    "field \"memory_limit_MB\" must be -1, 0 or a positive integer, got \(m.jsonText.prefix(40))")
            }
            memoryLimitMB = mb
        }
        if let s = o["stdin"], !s.isNull {
            guard let text = s.stringValue else {
                throw .badRequest("field \"stdin\" must be a string, got \(s.jsonText.prefix(40))")
            }
            stdin = text
        }
        if let f = o["files"], !f.isNull {
            guard let entries = f.objectValue?.entries else {
                throw .badRequest("field \"files\" must be an object of path → base64, got \(f.jsonText.prefix(80))")
            }
            for (path, content) in entries where !content.isNull {
                let name = try Self.workPath(path, field: "files")
                guard let b64 = content.stringValue, let data = Data(base64Encoded: b64) else {
                    throw .badRequest(
                        "field \"files\".\"\(path)\" must be base64 text, got \(content.jsonText.prefix(40))")
                }
                guard files[name] == nil else {
                    throw .badRequest("field \"files\" names \"\(name)\" twice (as \"\(path)\")")
                }
                files[name] = Array(data)
            }
        }
        if let f = o["fetch_files"], !f.isNull {
            guard let list = f.arrayValue?.compactMap(\.stringValue), list.count == f.arrayValue?.count else {
                throw .badRequest("field \"fetch_files\" must be a list of paths, got \(f.jsonText.prefix(80))")
            }
            for path in list { fetchFiles[path] = try Self.workPath(path, field: "fetch_files") }
        }
    }

    /// A timeout in seconds: absent, `null` or 0 → nil (the profile's default); else in (0, 3600].
    private static func seconds(_ o: JSONObject, _ key: String) throws(ServiceError) -> Double? {
        guard let v = o[key], !v.isNull else { return nil }
        guard let x = v.doubleValue, x >= 0, x <= 3600 else {
            throw .badRequest(
                "field \"\(key)\" must be a number of seconds in [0, 3600] (0: the default), "
                    + "got \(v.jsonText.prefix(40))"
            )
        }
        return x == 0 ? nil : x
    }

    /// The path relative to the work directory `/work` that `path` names: relative (`a/b.txt`, `./a`), or absolute
    /// under `/work`. Anything reaching outside it (`..`, another absolute path) or naming the directory itself is
    /// the client's mistake (400 naming the field and value).
    static func workPath(_ path: String, field: String) throws(ServiceError) -> String {
        var rest = Substring(path)
        if rest.hasPrefix("/") {
            guard rest.hasPrefix("/work/") else {
                throw .badRequest("field \"\(field)\": \"\(path.prefix(200))\" is outside the work directory /work")
            }
            rest = rest.dropFirst("/work/".count)
        }
        let parts = rest.split(separator: "/", omittingEmptySubsequences: true).filter { $0 != "." }
        guard !parts.contains(".."), !parts.isEmpty, path.utf8.count <= 1024, !path.contains("\0") else {
            throw .badRequest(
                "field \"\(field)\": \"\(path.prefix(200))\" is not a file path inside the work directory "
                    + "(no \"..\", at most 1024 bytes)")
        }
        return parts.joined(separator: "/")
    }
}

extension RunCodeResponse.CommandResult {
    var json: JSON {
        .object(
            JSONObject([
                ("status", .string(status.rawValue)),
                ("execution_time", executionTime.map(JSON.double) ?? .null),
                ("return_code", returnCode.map { .int(Int64($0)) } ?? .null),
                ("stdout", .string(stdout)),
                ("stderr", .string(stderr)),
            ]))
    }
}

extension RunCodeResponse {
    var json: JSON {
        .object(
            JSONObject([
                ("status", .string(status.rawValue)),
                ("message", .string(message)),
                ("compile_result", compileResult?.json ?? .null),
                ("run_result", runResult?.json ?? .null),
                ("executor_pod_name", .null),
                (
                    "files",
                    .object(JSONObject(files.sorted { $0.key < $1.key }.map { ($0.key, JSON.string($0.value)) }))
                ),
            ]))
    }
}
