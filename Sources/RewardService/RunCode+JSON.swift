import RewardKit

extension RunCodeRequest {
    /// Reads SandboxFusion's request body; errors name the field and value (answered with 400).
    init(json: JSON) throws(ServiceError) {
        guard let o = json.objectValue else { throw .badRequest("expected a JSON object, got \(json.kindDescription)") }
        guard let code = o["code"]?.stringValue else {
            throw .badRequest("field \"code\" must be a string, got \(o["code"]?.jsonText ?? "nothing")")
        }
        guard let language = o["language"]?.stringValue else {
            throw .badRequest("field \"language\" must be a string, got \(o["language"]?.jsonText ?? "nothing")")
        }
        self.init(code: code, language: language)
        compileTimeout = try Self.seconds(o, "compile_timeout", default: 10)
        runTimeout = try Self.seconds(o, "run_timeout", default: 10)
        if let m = o["memory_limit_MB"], !m.isNull {
            guard let mb = m.intValue, mb == -1 || mb > 0 else {
                throw .badRequest("field \"memory_limit_MB\" must be -1 or a positive integer, got \(m.jsonText)")
            }
            memoryLimitMB = mb
        }
        if let s = o["stdin"], !s.isNull {
            guard let text = s.stringValue else { throw .badRequest("field \"stdin\" must be a string, got \(s.jsonText)") }
            stdin = text
        }
        for (path, content) in o["files"]?.objectValue?.entries ?? [] {
            guard let b64 = content.stringValue else {
                throw .badRequest("field \"files\".\(path) must be base64 text, got \(content.jsonText.prefix(40))")
            }
            files[path] = b64
        }
        if let f = o["fetch_files"], !f.isNull {
            guard let list = f.arrayValue?.compactMap(\.stringValue), list.count == f.arrayValue?.count else {
                throw .badRequest("field \"fetch_files\" must be a list of paths, got \(f.jsonText.prefix(80))")
            }
            fetchFiles = list
        }
    }

    private static func seconds(_ o: JSONObject, _ key: String, default d: Double) throws(ServiceError) -> Double {
        guard let v = o[key], !v.isNull else { return d }
        guard let x = v.doubleValue, x > 0, x <= 3600 else {
            throw .badRequest("field \"\(key)\" must be a number of seconds in (0, 3600], got \(v.jsonText)")
        }
        return x
    }
}

extension RunCodeResponse {
    var json: JSON {
        func result(_ r: CommandResult?) -> JSON {
            guard let r else { return .null }
            return .object(JSONObject([
                ("status", .string(r.status.rawValue)),
                ("execution_time", r.executionTime.map(JSON.double) ?? .null),
                ("return_code", r.returnCode.map { .int(Int64($0)) } ?? .null),
                ("stdout", .string(r.stdout)),
                ("stderr", .string(r.stderr)),
            ]))
        }
        return .object(JSONObject([
            ("status", .string(status.rawValue)),
            ("message", .string(message)),
            ("compile_result", result(compileResult)),
            ("run_result", result(runResult)),
            ("executor_pod_name", .null),
            ("files", .object(JSONObject(files.sorted { $0.key < $1.key }.map { ($0.key, JSON.string($0.value)) }))),
        ]))
    }
}
