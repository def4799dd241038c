print("grpo")
