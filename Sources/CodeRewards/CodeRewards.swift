/// CodeRewards: rewards for code completions, graded by sandboxed unit tests that the code cannot fool.
///
/// - `CodeExtractor` takes the program from the completion (last fenced block of the language by default).
/// - `CodeTests` reads the tests: `{"kind": "assert" | "call" | "stdio", …}`, HumanEval rows (`test`,
///   `entry_point`, `prompt`) or MBPP rows (`test_list`, `test_setup_code`).
/// - `CodeGrader` runs them:
///   - **assert** (Python): the candidate runs in its own box under `Python/driver.py`, which only loads the
///     solution and answers calls with plain data (tagged JSON of builtins; objects of other classes are refused).
///     The tests run in a separate, long-lived grader box (`Python/grader.py`, one forked child per job) where
///     `candidate(...)` is a proxy over the pipes; every comparison of an assert happens there, on builtins. The
///     candidate's pipes reach the grader as file descriptors over a unix socket (`BoxChannel`), so the tests
///     and expected values never enter the candidate's box and no exit code or printed marker counts.
///     Candidate boxes are started ahead of time with the driver already running (`WarmCandidates`).
///   - **call** (Python): the inputs go to the driver as its stdin; answers are compared here (`PlainData`).
///   - **stdio** (any profile): the program runs once per case in a fresh box; the full stdout is compared
///     here, trailing whitespace aside, numbers within `floatTolerance` when it is set.
/// - `CodeReward` turns a `Grade` into a `Score` (all-pass 0/1 or pass fraction); a sample that cannot be graded
///   gets `Score.failure`, never a zero. `TermRegistry.registerCodeTerms()` adds the `code` term;
///   `RecipeBook.codeRecipes` holds `code` and `code-r1`.
/// - `RunReport` and `SandboxBenchmark` back `reward run` and `reward bench sandbox`.
public enum CodeRewards {}
