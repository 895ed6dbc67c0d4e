# A suppression without a reason suppresses nothing and is reported.
# idlint-ignore hardcoded-secret
$secure = ConvertTo-SecureString "Sp-S3cret-Value-42" -AsPlainText -Force
