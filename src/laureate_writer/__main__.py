from laureate_writer.cli import main

main()
