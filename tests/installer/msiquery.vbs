' Prints the first column of every row a query selects from a Windows Installer package,
' read through msi.dll's own automation interface (the tests use it to read what a package
' says, such as the downgrade message that a silent installation never shows).
'   cscript //nologo msiquery.vbs PACKAGE.msi "SELECT ... FROM ..."
Option Explicit
Dim installer, database, view, record
Set installer = CreateObject("WindowsInstaller.Installer")
Set database = installer.OpenDatabase(WScript.Arguments(0), 0)
Set view = database.OpenView(WScript.Arguments(1))
view.Execute
Set record = view.Fetch
Do While Not record Is Nothing
    WScript.Echo record.StringData(1)
    Set record = view.Fetch
Loop
