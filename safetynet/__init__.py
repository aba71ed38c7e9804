"""SafetyNet (民生保障安全网): a county civil-affairs social safety-net platform."""
