/// Answer extraction and mathematical equivalence for math rewards (issue 3).
public enum MathVerify {}
