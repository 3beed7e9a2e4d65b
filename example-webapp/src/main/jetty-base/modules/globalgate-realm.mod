[description]
The users and roles of the Globalgate admin (realm "Globalgate admin"), in
${jetty.base}/etc/globalgate-realm.properties: one line per user, "name: password,role,...".

[depend]
security

[xml]
etc/globalgate-realm.xml
