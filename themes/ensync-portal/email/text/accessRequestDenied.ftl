<#ftl output_format="plainText">
${msg.accessRequestDeniedIntro}

${msg.integration}: ${integrationName}
${msg.application}: ${appName}

<#if url??>${msg.accessRequestDeniedAction}
${msg.hours}: ${hours}

${url}
</#if><#if reason??>${msg.accessRequestDeniedReason}
${reason}
</#if>-- 
${msg.signature?replace("{0}", realmName)}
