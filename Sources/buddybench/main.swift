print("buddybench")
