import type { PROVIDERS } from '../internet.js';

export type ProviderKey = keyof typeof PROVIDERS;

/**
 * Popular registered domains, most visited first, with the network that serves them in the
 * synthetic internet (plausible, not a survey). What an enterprise's users and machines look up
 * besides their own zone: search, mail and office suites, social networks, CDNs, news,
 * developer tools, security vendors, banks. Their addresses are drawn inside the provider's
 * prefixes, so AS and geo enrichment of the answers look right.
 */
const LIST = `
google.com google; youtube.com google; googleapis.com google; gstatic.com google; microsoft.com microsoft; office.com microsoft;
office365.com microsoft; live.com microsoft; windows.net microsoft; microsoftonline.com microsoft; windowsupdate.com akamai;
bing.com microsoft; msn.com microsoft; outlook.com microsoft; facebook.com meta; instagram.com meta; whatsapp.net meta; fbcdn.net meta;
apple.com apple; icloud.com apple; amazon.com amazon; amazonaws.com amazon; cloudfront.net amazon; akamaiedge.net akamai;
akamaized.net akamai; cloudflare.com cloudflare; linkedin.com microsoft; licdn.com akamai; x.com cloudflare; twimg.com fastly;
wikipedia.org wikimedia; wikimedia.org wikimedia; github.com github; githubusercontent.com fastly; doubleclick.net google;
googlesyndication.com google; google-analytics.com google; googletagmanager.com google; googleusercontent.com google;
gmail.com google; ytimg.com google; ggpht.com google; azure.com microsoft; azureedge.net microsoft; sharepoint.com microsoft;
skype.com microsoft; msftconnecttest.com microsoft; msedge.net microsoft; clarity.ms microsoft; digicert.com cloudflare;
zoom.us zoom; slack.com amazon; slack-edge.com amazon; salesforce.com salesforce; force.com salesforce; dropbox.com dropbox;
dropboxusercontent.com dropbox; adobe.com akamai; adobe.io amazon; typekit.net akamai; adobedtm.com akamai; demdex.net amazon;
netflix.com amazon; nflxvideo.net amazon; spotify.com google; scdn.co fastly; reddit.com fastly; redditmedia.com fastly;
pinterest.com akamai; tiktok.com akamai; tiktokcdn.com akamai; yahoo.com amazon; yimg.com amazon; ebay.com akamai;
paypal.com akamai; paypalobjects.com akamai; nytimes.com fastly; bbc.co.uk fastly; bbc.com fastly; cnn.com fastly;
theguardian.com fastly; washingtonpost.com akamai; reuters.com akamai; bloomberg.com akamai; wsj.com akamai; forbes.com fastly;
ft.com fastly; economist.com fastly; medium.com cloudflare; stackoverflow.com cloudflare; stackexchange.com cloudflare;
atlassian.com amazon; atlassian.net amazon; bitbucket.org amazon; gitlab.com google; docker.com amazon; docker.io amazon;
npmjs.org cloudflare; npmjs.com cloudflare; pypi.org fastly; python.org fastly; nodejs.org cloudflare; mozilla.org google;
mozilla.net amazon; firefox.com amazon; ubuntu.com canonical; canonical.com canonical; debian.org fastly; redhat.com akamai;
oracle.com akamai; ibm.com akamai; cisco.com akamai; webex.com akamai; vmware.com akamai; intel.com akamai; dell.com akamai;
hp.com akamai; lenovo.com akamai; samsung.com akamai; sony.com akamai; nvidia.com akamai; amd.com akamai; okta.com amazon;
oktacdn.com amazon; duosecurity.com amazon; crowdstrike.com amazon; sentinelone.net amazon; sophos.com amazon; mcafee.com akamai;
norton.com akamai; trendmicro.com akamai; eset.com cloudflare; letsencrypt.org akamai; sectigo.com cloudflare;
globalsign.com cloudflare; godaddy.com akamai; booking.com akamai; airbnb.com akamai; expedia.com akamai; tripadvisor.com fastly;
uber.com google; indeed.com cloudflare; glassdoor.com cloudflare; etsy.com fastly; shopify.com cloudflare; myshopify.com cloudflare;
walmart.com akamai; target.com akamai; bestbuy.com akamai; ikea.com akamai; zalando.de akamai; otto.de akamai; spiegel.de akamai;
zeit.de fastly; faz.net akamai; lemonde.fr fastly; lefigaro.fr fastly; elpais.com akamai; corriere.it akamai; heise.de hetzner;
golem.de hetzner; t-online.de akamai; web.de akamai; gmx.net akamai; orange.fr akamai; free.fr ovh; dailymail.co.uk fastly;
telegraph.co.uk fastly; weather.com akamai; accuweather.com akamai; espn.com akamai; imdb.com amazon; twitch.tv amazon;
discord.com cloudflare; discordapp.com cloudflare; telegram.org digitalocean; signal.org amazon; whatsapp.com meta;
messenger.com meta; snapchat.com google; quora.com amazon; wordpress.com fastly; wp.com fastly; tumblr.com fastly; vimeo.com fastly;
vimeocdn.com fastly; soundcloud.com amazon; grammarly.com amazon; notion.so cloudflare; figma.com amazon; canva.com cloudflare;
miro.com amazon; trello.com amazon; asana.com amazon; monday.com cloudflare; hubspot.com cloudflare; hsforms.net cloudflare;
zendesk.com cloudflare; intercom.io amazon; servicenow.com akamai; workday.com amazon; sap.com akamai; successfactors.com akamai;
concur.com akamai; docusign.net akamai; docusign.com akamai; box.com google; wetransfer.com amazon; mailchimp.com akamai;
sendgrid.net amazon; twilio.com amazon; stripe.com amazon; visa.com akamai; mastercard.com akamai; americanexpress.com akamai;
chase.com akamai; bankofamerica.com akamai; wellsfargo.com akamai; hsbc.com akamai; barclays.co.uk akamai; ing.com akamai;
bnpparibas.com akamai; gov.uk fastly; europa.eu akamai; irs.gov akamai; adnxs.com akamai; criteo.com akamai;
rubiconproject.com fastly; pubmatic.com akamai; taboola.com fastly; outbrain.com akamai; scorecardresearch.com akamai;
hotjar.com cloudflare; segment.io amazon; mixpanel.com google; newrelic.com fastly; nr-data.net fastly; datadoghq.com amazon;
sentry.io google; optimizely.com fastly; cookielaw.org cloudflare; onetrust.com cloudflare; trustarc.com amazon;
jsdelivr.net fastly; unpkg.com cloudflare; bootstrapcdn.com fastly; fontawesome.com cloudflare; jquery.com fastly;
cloudflareinsights.com cloudflare; cdnjs.com cloudflare; gravatar.com fastly; unsplash.com fastly; imgur.com fastly;
giphy.com fastly; flickr.com amazon; archive.org digitalocean; mit.edu akamai; stanford.edu akamai; harvard.edu akamai;
coursera.org amazon; udemy.com cloudflare; khanacademy.org google; duolingo.com amazon; openai.com cloudflare; chatgpt.com cloudflare;
anthropic.com google; claude.ai google; huggingface.co amazon; kaggle.com google; jetbrains.com amazon; visualstudio.com microsoft;
vscode-cdn.net microsoft; gitkraken.com amazon; postman.com amazon; sublimetext.com cloudflare; teamviewer.com akamai;
anydesk.com hetzner; logmein.com akamai; citrix.com akamai; cloud.com akamai; fortinet.com akamai; paloaltonetworks.com google;
checkpoint.com akamai; zscaler.com akamai; zscaler.net akamai; cloudflare-dns.com cloudflare; quad9.net quad9; ntp.org hetzner;
speedtest.net akamai; ookla.com akamai; fast.com amazon; duckduckgo.com amazon; ecosia.org cloudflare;
startpage.com ovh; yandex.ru hetzner; baidu.com akamai; qq.com akamai; aliexpress.com akamai; alibaba.com akamai;
rakuten.co.jp akamai; nintendo.com akamai; steampowered.com akamai; steamcommunity.com akamai; epicgames.com cloudflare;
ea.com akamai; playstation.com akamai; xbox.com microsoft; live.net microsoft; onedrive.com microsoft; onenote.com microsoft;
powerbi.com microsoft; dynamics.com microsoft; azurewebsites.net microsoft; trafficmanager.net microsoft; aka.ms microsoft;
msauth.net microsoft; msftauth.net microsoft; office.net microsoft; lync.com microsoft
`;

export interface PopularDomain {
  readonly name: string;
  readonly provider: ProviderKey;
  /** 1 for the most popular. */
  readonly rank: number;
}

export const POPULAR_DOMAINS: readonly PopularDomain[] = LIST.split(';')
  .map((entry) => entry.trim())
  .filter(Boolean)
  .map((entry, i) => {
    const [name, provider] = entry.split(/\s+/) as [string, ProviderKey];
    return { name, provider, rank: i + 1 };
  });

/** Host names people and programs put in front of a registered domain, roughly by how common they are. */
export const SUBDOMAINS = [
  'www', 'api', 'cdn', 'static', 'login', 'app', 'img', 'assets', 'm', 'mail', 'accounts', 'auth', 'media', 'content', 'edge',
  'events', 'analytics', 'update', 'clients', 'docs', 'support', 'news', 'shop', 'images', 'video', 'js', 'fonts', 'ws', 'sso',
  'status', 'graph', 'telemetry', 'config', 'download', 'portal', 'secure', 'my', 'help', 'blog', 'files',
];
