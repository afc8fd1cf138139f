import { isbot } from 'isbot';
import type { DeviceClass } from './types.js';

/**
 * Bots, crawlers, link-preview fetchers, headless browsers, monitors and HTTP libraries: the
 * maintained `isbot` list, and these patterns (kept for what it may not name). A request without a
 * User-Agent is a bot too. Matched case-insensitively against the whole User-Agent.
 */
const BOT_PATTERN = new RegExp(
  [
    // generic words crawlers put in their names
    '(?<!cu)bot\\b',
    'bot/',
    'crawl',
    'spider',
    'slurp',
    'scrape',
    'archiver',
    'fetcher',
    'preview',
    'monitor',
    // headless and automation
    'headless',
    'phantomjs',
    'selenium',
    'webdriver',
    'puppeteer',
    'playwright',
    'lighthouse',
    'pagespeed',
    'gtmetrix',
    'prerender',
    // link-preview fetchers of social and chat apps
    'facebookexternalhit',
    'facebookcatalog',
    'facebot',
    'meta-externalagent',
    'twitterbot',
    'linkedinbot',
    'slackbot',
    'slack-imgproxy',
    'discordbot',
    'telegrambot',
    'whatsapp',
    'skypeuripreview',
    'vkshare',
    'redditbot',
    'embedly',
    'quora link preview',
    'iframely',
    'outbrain',
    'line-poker',
    'google-pagerenderer',
    'googleother',
    'google-inspectiontool',
    'mediapartners-google',
    'adsbot',
    'bingpreview',
    'applebot',
    'yandex',
    'baiduspider',
    'bytespider',
    'petalbot',
    'ahrefs',
    'semrush',
    'mj12bot',
    'dotbot',
    'gptbot',
    'chatgpt',
    'claudebot',
    'claude-web',
    'anthropic-ai',
    'perplexity',
    'ccbot',
    'amazonbot',
    'censys',
    'zgrab',
    'masscan',
    'nmap',
    'nuclei',
    // uptime checkers
    'pingdom',
    'uptimerobot',
    'statuscake',
    'site24x7',
    'datadog',
    'newrelic',
    'checkly',
    // HTTP libraries and command-line clients
    '^node$',
    '^undici',
    'node-fetch',
    'axios',
    'got \\(',
    'curl',
    'wget',
    'httpie',
    'python-requests',
    'python-urllib',
    'aiohttp',
    'httpx',
    'go-http-client',
    'java/',
    'okhttp',
    'apache-httpclient',
    'libwww',
    'lwp::',
    'ruby',
    'php/',
    'guzzlehttp',
    'postmanruntime',
    'insomnia',
    'dart:io',
    'scrapy',
  ].join('|'),
  'i',
);

const TABLET = /iPad|Tablet|PlayBook|Silk\/|Kindle|Nexus (7|9|10)\b|SM-T\d|Android(?!.*Mobile)/i;
const MOBILE = /Mobi|iPhone|iPod|Android.*Mobile|Windows Phone|IEMobile|Opera Mini|BlackBerry|BB10|webOS|KaiOS/i;

export function isBot(userAgent: string | null | undefined): boolean {
  const ua = (userAgent ?? '').trim();
  return ua.length === 0 || isbot(ua) || BOT_PATTERN.test(ua);
}

/**
 * Recent answers by User-Agent: a launch's traffic comes from a few hundred distinct strings, and
 * the bot list is one very large regular expression. Bounded: emptied when full.
 */
const classified = new Map<string, DeviceClass>();
const CLASSIFIED_MAX = 2000;

/** mobile / tablet / desktop from the User-Agent; `bot` for anything {@link isBot} matches. */
export function deviceClass(userAgent: string | null | undefined): DeviceClass {
  const ua = (userAgent ?? '').trim();
  let device = classified.get(ua);
  if (device === undefined) {
    device = isBot(ua) ? 'bot' : TABLET.test(ua) ? 'tablet' : MOBILE.test(ua) ? 'mobile' : 'desktop';
    if (classified.size >= CLASSIFIED_MAX) classified.clear();
    classified.set(ua, device);
  }
  return device;
}
