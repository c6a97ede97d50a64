/// <reference types="vite/client" />
declare module 'virtual:ui5-font-faces.css';
