<#ftl output_format="plainText">
${msg.accessRequestVerifyIntro}

${msg.integration}: ${integrationName}
${msg.application}: ${appName}

<#if url??>${msg.accessRequestVerifyAction}
${msg.hours}: ${hours}

${url}
</#if><#if reason??>${msg.accessRequestDeniedReason}
${reason}
</#if>${msg.accessRequestVerifyIgnore}
-- 
${msg.signature?replace("{0}", realmName)}
