const settings = JSON.parse('{not json');
export default definePlugin({ name: settings.name });
