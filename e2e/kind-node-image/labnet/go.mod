module example.local/labnet

go 1.26.0
