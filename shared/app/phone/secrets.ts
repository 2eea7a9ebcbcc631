// Secrets in AWS (the Connect private keys, database URLs) are read through the AWS Parameters and
// Secrets Lambda Extension: a local HTTP endpoint in the Lambda sandbox, authenticated with the
// function's session token. No SDK client and no secret in environment variables.
export async function readSecret(secretId: string, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const port = env.PARAMETERS_SECRETS_EXTENSION_HTTP_PORT ?? '2773';
  const token = env.AWS_SESSION_TOKEN;
  if (!token) throw new Error('reading a secret needs AWS_SESSION_TOKEN (run inside Lambda with the secrets extension layer)');
  const url = `http://localhost:${port}/secretsmanager/get?secretId=${encodeURIComponent(secretId)}`;
  const res = await fetch(url, { headers: { 'X-Aws-Parameters-Secrets-Token': token }, signal: AbortSignal.timeout(2000) });
  if (!res.ok) throw new Error(`secret ${secretId.slice(-40)}: the secrets extension answered HTTP ${res.status}`);
  const body = (await res.json()) as { SecretString?: unknown };
  if (typeof body.SecretString !== 'string') throw new Error(`secret ${secretId.slice(-40)}: no SecretString`);
  return body.SecretString;
}
