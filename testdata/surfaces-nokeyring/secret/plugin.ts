// A plugin with a saved secret, run where the keyring cannot be reached
// (TestSurfacesAgree points DBUS_SESSION_BUS_ADDRESS at a dead socket).
export default definePlugin({
  configSchema: z.object({ token: z.string().secret().label('API Token') }),
  tools: [{ name: 'ping', description: 'Answers pong.', parameters: z.object({}), execute: async () => ({ content: 'pong' }) }],
});
