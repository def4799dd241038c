print("reward: under construction")
