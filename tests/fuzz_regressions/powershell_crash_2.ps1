$frrespoo: ="trte$u"o}ken = $resptrue"}$token = $resporue"}$toke = $resptrue"}$token = $responseҘccess_: $toketoke $toketoken = $resҘccess_token
a-Host $toke = $resptrue"}$tnken = $responseҘccess_ess_token
a-Host ost "Toeen: $tSe   