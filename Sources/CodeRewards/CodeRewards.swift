/// CodeRewards: rewards for code completions, graded by sandboxed unit tests that the code cannot fool.
///
/// - `CodeExtractor` takes the program from the completion (last fenced block of the language by default).
/// - `CodeTests` reads the tests: `{"kind": "assert" | "unittest" | "pytest" | "call" | "stdio", …}`, HumanEval
///   rows (`test`, `entry_point`, `prompt`) or MBPP rows (`test_list`, `test_setup_code`); `CodeTestOptions` the
///   per-sample `atol`/`rtol`, `case_time_limit_s` and `time_limit_s`.
/// - `CodeGrader` runs them:
///   - **every Python kind but stdio**: the candidate runs in its own box under `Python/driver.py`, which only
///     loads the solution and answers calls with plain data (tagged JSON: the full Unicode range, floats that
///     stay floats, tuples, sets, dicts with any keys, integers of any size, inf/nan; anything else as an opaque
///     stand-in that knows only its type name). The tests run in a separate, long-lived grader box
///     (`Python/grader.py`, one forked child per job) where the candidate's functions are proxies over the pipes;
///     every comparison, and the whole test framework (unittest, pytest), runs there. The candidate's pipes reach
///     the grader as file descriptors over a unix socket (`BoxChannel`), so the tests and expected values never
///     enter the candidate's box and no exit code, printed marker, patched assert helper, forged report or
///     shadowed module counts. Zero tests run (or a candidate never called) scores 0. With a case time limit,
///     each call runs in a forked child of the driver, killed at the limit, so the other cases still run.
///     Candidate boxes are started ahead of time with the driver already running (`WarmCandidates`).
///   - **assert**: `check(candidate)` (HumanEval) or top-level asserts (MBPP), one unit per assert statement; a
///     file of `TestCase` classes or `test_` functions is run as unittest/pytest.
///   - **unittest** / **pytest**: one unit per test, by the grader's own frameworks (pytest: Debian's
///     python3-pytest); the solution's names are globals of the test file and the module `solution`.
///   - **call**: each case's inputs go to the function; the answer must `==` the expected value (Python's
///     semantics), or be close within the sample's atol/rtol (EvalPlus) or the recipe's `floatTolerance`.
///   - **stdio** (any profile): the program runs once per case in a fresh box; the full stdout is compared
///     here, trailing whitespace aside, numbers within `floatTolerance` when it is set.
/// - `CodeReward` turns a `Grade` into a `Score` (all-pass 0/1 or pass fraction); a sample that cannot be graded
///   gets `Score.failure`, never a zero. `TermRegistry.registerCodeTerms()` adds the `code` term;
///   `RecipeBook.codeRecipes` holds `code` and `code-r1`.
/// - `RunReport` and `SandboxBenchmark` back `reward run` and `reward bench sandbox`.
public enum CodeRewards {}
