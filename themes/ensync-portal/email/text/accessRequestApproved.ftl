<#ftl output_format="plainText">
${msg.accessRequestApprovedIntro}

${msg.integration}: ${integrationName}
${msg.application}: ${appName}

<#if url??>${msg.accessRequestApprovedAction}
${msg.hours}: ${hours}

${url}
</#if><#if reason??>${msg.accessRequestDeniedReason}
${reason}
</#if>-- 
${msg.signature?replace("{0}", realmName)}
