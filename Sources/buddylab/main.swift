import BuddyCLI
BuddyLab.main()
