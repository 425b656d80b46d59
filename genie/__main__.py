from genie.cli import main

main()
