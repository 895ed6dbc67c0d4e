# The committed value of a secret variable.
sql_admin_password = "Pr0duction-SQL-Passw0rd!"
